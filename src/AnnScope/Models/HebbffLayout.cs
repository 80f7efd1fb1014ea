namespace AnnScope.Models;

/// <summary>
/// Where each parameter sits in one instance's packed vector of <see cref="Count"/> = M·N + 2M + 3 values:
/// W1 (M×N, row-major), b1 (M), W2 (M), b2, λ, and the η parameter (θ with η = ∓exp θ in anti/hebb mode,
/// η itself in free mode). Batched arrays are (instances, Count). Adam's moments use the same layout.
/// </summary>
public readonly record struct HebbffLayout(int InputDim, int Hidden)
{
    /// <summary>Values per instance.</summary>
    public int Count => Hidden * InputDim + 2 * Hidden + 3;

    /// <summary>Start of W1 (M×N).</summary>
    public int W1 => 0;

    /// <summary>Start of b1 (M).</summary>
    public int B1 => Hidden * InputDim;

    /// <summary>Start of W2 (M).</summary>
    public int W2 => Hidden * InputDim + Hidden;

    /// <summary>Index of b2.</summary>
    public int B2 => Hidden * InputDim + 2 * Hidden;

    /// <summary>Index of λ.</summary>
    public int Lambda => B2 + 1;

    /// <summary>Index of the η parameter.</summary>
    public int EtaParameter => B2 + 2;

    /// <summary>The η an η parameter stands for under <paramref name="plasticity"/>.</summary>
    public static double Eta(Plasticity plasticity, double etaParameter) => plasticity switch
    {
        Plasticity.Anti => -Math.Exp(etaParameter),
        Plasticity.Hebb => Math.Exp(etaParameter),
        _ => etaParameter,
    };

    /// <summary>The name of the parameter holding packed index <paramref name="index"/>, e.g. "W1[3,7]".</summary>
    public string Describe(int index) => index switch
    {
        _ when index < B1 => $"W1[{index / InputDim},{index % InputDim}]",
        _ when index < W2 => $"b1[{index - B1}]",
        _ when index < B2 => $"W2[{index - W2}]",
        _ when index == B2 => "b2",
        _ when index == Lambda => "lambda",
        _ => "eta parameter",
    };
}
