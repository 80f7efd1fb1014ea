using AnnScope.Tasks;

namespace AnnScope.Models;

/// <summary>
/// Everything a trainer carries from one epoch to the next: the parameters and Adam's two moments of every
/// instance, packed as (instances, <see cref="HebbffLayout.Count"/>), and Adam's step count (= completed
/// epochs). Values are stored as float64; a float32 trainer's values convert exactly both ways, so export
/// then import resumes a run bit for bit.
/// </summary>
public sealed class HebbffState
{
    /// <summary>A state of the given shape; arrays must hold instances × layout.Count values.</summary>
    public HebbffState(int instances, HebbffLayout layout, long step, double[] parameters, double[] adamM, double[] adamV)
    {
        Instances = instances;
        Layout = layout;
        Step = step;
        Parameters = parameters;
        AdamM = adamM;
        AdamV = adamV;
    }

    /// <summary>Number of instances.</summary>
    public int Instances { get; }

    /// <summary>The packed layout (N, M).</summary>
    public HebbffLayout Layout { get; }

    /// <summary>Adam's step count: epochs completed.</summary>
    public long Step { get; }

    /// <summary>Parameters, (instances, layout.Count).</summary>
    public double[] Parameters { get; }

    /// <summary>Adam's first moments, same layout.</summary>
    public double[] AdamM { get; }

    /// <summary>Adam's second moments, same layout.</summary>
    public double[] AdamV { get; }

    /// <summary>One instance's parameters.</summary>
    public Span<double> ParametersOf(int instance) => Parameters.AsSpan(instance * Layout.Count, Layout.Count);

    /// <summary>
    /// The initial state of <paramref name="config"/>: W1 ~ N(0, 1/N), b1 ~ N(0, 1), W2 ~ N(0, 1/M), b2 ~ N(0, 1),
    /// λ = 0.99, η = −5/N (θ = ln(5/N) in anti and hebb mode), each instance's draws a pure function of
    /// (seed, instance); moments 0, step 0. A float32 trainer rounds each value to float32.
    /// </summary>
    public static HebbffState Initial(HebbffConfig config)
    {
        config.Validate();
        var layout = new HebbffLayout(config.InputDim, config.Hidden);
        var parameters = new double[(long)config.Instances * layout.Count];
        Parallel.For(0, config.Instances, b => InitialInstance(config, layout, config.FirstInstance + b, parameters.AsSpan(b * layout.Count, layout.Count)));
        return new HebbffState(config.Instances, layout, 0, parameters, new double[parameters.Length], new double[parameters.Length]);
    }

    private static void InitialInstance(HebbffConfig config, HebbffLayout layout, int instance, Span<double> p)
    {
        // role 2: parameters, beside the training (0) and test (1) sequences of the same instance
        var rng = CounterRandom.For(config.Seed, (ulong)instance, 2);
        double w1Scale = 1 / Math.Sqrt(config.InputDim), w2Scale = 1 / Math.Sqrt(config.Hidden);
        ulong c = 0;
        for (int k = 0; k < layout.B1; k++) p[layout.W1 + k] = rng.Normal(c++) * w1Scale;
        for (int i = 0; i < config.Hidden; i++) p[layout.B1 + i] = rng.Normal(c++);
        for (int i = 0; i < config.Hidden; i++) p[layout.W2 + i] = rng.Normal(c++) * w2Scale;
        p[layout.B2] = rng.Normal(c);
        p[layout.Lambda] = 0.99;
        double eta = -5.0 / config.InputDim;
        p[layout.EtaParameter] = config.Plasticity is Plasticity.Anti or Plasticity.Hebb ? Math.Log(Math.Abs(eta)) : eta;
        if (config.Precision == NumericPrecision.Float32)
            for (int k = 0; k < p.Length; k++) p[k] = (float)p[k];
    }

    /// <summary>Throws when the state does not fit (instances, layout) or holds NaN, infinity, negative second moments or a negative step.</summary>
    public void Validate(int instances, HebbffLayout layout)
    {
        if (Instances != instances || Layout != layout)
            throw new ArgumentException(
                $"the state is for {Instances} instances of (N {Layout.InputDim}, M {Layout.Hidden}), the trainer has {instances} of (N {layout.InputDim}, M {layout.Hidden})");
        long n = (long)instances * layout.Count;
        if (Parameters.Length != n || AdamM.Length != n || AdamV.Length != n)
            throw new ArgumentException($"every state array must hold {n} values (instances × {layout.Count})");
        if (Step < 0) throw new ArgumentException($"the Adam step count must be >= 0, got {Step}");
        CheckFinite(Parameters, "parameters", layout);
        CheckFinite(AdamM, "Adam first moments", layout);
        CheckFinite(AdamV, "Adam second moments", layout);
        int negative = Array.FindIndex(AdamV, v => v < 0);
        if (negative >= 0)
            throw new ArgumentException(
                $"negative Adam second moment at instance {negative / layout.Count}, {layout.Describe(negative % layout.Count)}");
    }

    private static void CheckFinite(double[] values, string what, HebbffLayout layout)
    {
        int bad = Array.FindIndex(values, v => !double.IsFinite(v));
        if (bad >= 0)
            throw new ArithmeticException(
                $"the {what} hold {values[bad]} at instance {bad / layout.Count}, {layout.Describe(bad % layout.Count)}: refusing to import");
    }
}
