namespace AnnScope.Studies;

/// <summary>
/// The robustness pass (README, "Robustness"): on every <see cref="EveryCheckpoints"/>-th checkpoint, while its
/// activations are in memory, the multilayer communities are found again under the choices the original code made
/// silently, and once more on activations shuffled per unit within each window (the decorrelation null). The claims
/// are then re-evaluated per choice on those checkpoints. The study config holds it as its <c>robustness</c> section.
/// </summary>
public sealed record RobustnessOptions
{
    /// <summary>Run the variants (the <c>--robustness</c> option of <c>annscope study</c> sets it).</summary>
    public bool Enabled { get; init; }

    /// <summary>The variants run on checkpoints 0, n, 2n, … and the last one.</summary>
    public int EveryCheckpoints { get; init; } = 10;

    /// <summary>Seeded optimisation runs of the "several seeded runs" variant (the best-Q run's measures are kept).</summary>
    public int Runs { get; init; } = 4;

    /// <summary>γ⁺ values tried besides the config's.</summary>
    public IReadOnlyList<double> GammaPos { get; init; } = [0.9, 1.1];

    /// <summary>ω values tried besides the config's.</summary>
    public IReadOnlyList<double> Omega { get; init; } = [0.5, 2.0];

    /// <summary>Also compute the measures on activations shuffled per unit within each window.</summary>
    public bool ShuffleNull { get; init; } = true;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first field out of range.</summary>
    public RobustnessOptions Validate()
    {
        if (EveryCheckpoints < 1) throw new ArgumentException($"study config: robustness.every_checkpoints must be >= 1 (got {EveryCheckpoints})");
        if (Runs < 2) throw new ArgumentException($"study config: robustness.runs must be >= 2 (got {Runs})");
        if (GammaPos.Any(g => !(g >= 0)) || Omega.Any(w => !(w >= 0)))
            throw new ArgumentException("study config: robustness.gamma_pos and robustness.omega values must be >= 0");
        return this;
    }
}
