namespace AnnScope.Results;

/// <summary>
/// One row of checkpoints.csv: an instance at a checkpoint — its accuracy figures (NaN when the activations
/// came without them) and every measure of its activations. Column order is the file's.
/// </summary>
public sealed record CheckpointRow
{
    /// <summary>The instance (0-based).</summary>
    public int Instance { get; init; }
    /// <summary>The training epoch of the checkpoint.</summary>
    public int Epoch { get; init; }
    /// <summary>Fraction of test steps answered correctly (NaN when unknown).</summary>
    public double Accuracy { get; init; } = double.NaN;
    /// <summary>True-positive rate P(pred familiar | familiar).</summary>
    public double Tpr { get; init; } = double.NaN;
    /// <summary>False-positive rate P(pred familiar | novel).</summary>
    public double Fpr { get; init; } = double.NaN;
    /// <summary>(TPR + 1 − FPR)/2.</summary>
    public double BalancedAccuracy { get; init; } = double.NaN;
    /// <summary>The study's plotted score (the original code's class weighting).</summary>
    public double PaperAccuracy { get; init; } = double.NaN;
    /// <summary>λ, the decay of the plastic matrix A.</summary>
    public double Lambda { get; init; } = double.NaN;
    /// <summary>η, the plasticity rate (negative for anti-Hebbian).</summary>
    public double Eta { get; init; } = double.NaN;
    /// <summary>Binary cross-entropy on the test sequence.</summary>
    public double Loss { get; init; } = double.NaN;
    /// <summary>Q of the best multilayer partition over the runs (science.md §5).</summary>
    public double MultilayerModularity { get; init; }
    /// <summary>Communities in that partition.</summary>
    public int MultilayerCommunities { get; init; }
    /// <summary>Mean flexibility of the units in that partition: the fraction of layer changes in which a unit changes community.</summary>
    public double Flexibility { get; init; }
    /// <summary>Mean Q over the seeded runs.</summary>
    public double MultilayerModularityMean { get; init; }
    /// <summary>Standard deviation of Q over the runs (NaN for one run).</summary>
    public double MultilayerModularitySd { get; init; }
    /// <summary>Q of the best single-layer partition of the full-sequence FC.</summary>
    public double StaticModularity { get; init; }
    /// <summary>Communities in that partition.</summary>
    public int StaticCommunities { get; init; }
    /// <summary>Gaussian differential entropy ½ ln det Σ + ½M(1 + ln 2π) of the activations, in nats (science.md §7).</summary>
    public double Entropy { get; init; }
    /// <summary>Mean of every activation pooled.</summary>
    public double MeanActivation { get; init; }
    /// <summary>Standard deviation of every activation pooled (n − 1).</summary>
    public double StdActivation { get; init; }
    /// <summary>m₄/m₂² of every activation pooled (3 for a Gaussian).</summary>
    public double Kurtosis { get; init; }
    /// <summary>m₃/m₂^{3/2} of every activation pooled.</summary>
    public double Skewness { get; init; }
    /// <summary>Mean of the FC entries (pairs i &lt; j, or the original code's mask).</summary>
    public double MeanCorrelation { get; init; }
    /// <summary>σ₁/M of the FC's singular values.</summary>
    public double Pc1Ratio { get; init; }
    /// <summary>1/std(σ₁…σ_M).</summary>
    public double FullSync { get; init; }
    /// <summary>1/std(σ₂…σ_M).</summary>
    public double PartialSync { get; init; }
    /// <summary>Units with zero variance over the sequence.</summary>
    public long ConstantUnits { get; init; }

    /// <summary>The header of checkpoints.csv.</summary>
    public static IReadOnlyList<string> Columns { get; } =
    [
        "instance", "epoch", "accuracy", "tpr", "fpr", "balanced_accuracy", "paper_accuracy", "lambda", "eta", "loss",
        "multilayer_modularity", "multilayer_communities", "flexibility", "multilayer_modularity_mean",
        "multilayer_modularity_sd", "static_modularity", "static_communities", "entropy", "mean_activation",
        "std_activation", "kurtosis", "skewness", "mean_correlation", "pc1_ratio", "full_sync", "partial_sync",
        "constant_units",
    ];

    /// <summary>The cells in column order.</summary>
    internal object[] Cells() =>
    [
        Instance, Epoch, Accuracy, Tpr, Fpr, BalancedAccuracy, PaperAccuracy, Lambda, Eta, Loss,
        MultilayerModularity, MultilayerCommunities, Flexibility, MultilayerModularityMean, MultilayerModularitySd,
        StaticModularity, StaticCommunities, Entropy, MeanActivation, StdActivation, Kurtosis, Skewness,
        MeanCorrelation, Pc1Ratio, FullSync, PartialSync, ConstantUnits,
    ];

    /// <summary>The value of a numeric column by its CSV name (for the statistics stage).</summary>
    public double this[string column] => column switch
    {
        "accuracy" => Accuracy, "tpr" => Tpr, "fpr" => Fpr, "balanced_accuracy" => BalancedAccuracy,
        "paper_accuracy" => PaperAccuracy, "lambda" => Lambda, "eta" => Eta, "loss" => Loss,
        "multilayer_modularity" => MultilayerModularity, "multilayer_communities" => MultilayerCommunities,
        "flexibility" => Flexibility, "static_modularity" => StaticModularity, "static_communities" => StaticCommunities,
        "entropy" => Entropy, "mean_activation" => MeanActivation, "std_activation" => StdActivation,
        "kurtosis" => Kurtosis, "skewness" => Skewness, "mean_correlation" => MeanCorrelation,
        "pc1_ratio" => Pc1Ratio, "full_sync" => FullSync, "partial_sync" => PartialSync, "epoch" => Epoch,
        "multilayer_modularity_mean" => MultilayerModularityMean, "multilayer_modularity_sd" => MultilayerModularitySd,
        "constant_units" => ConstantUnits,
        _ => throw new ArgumentException($"unknown checkpoint column '{column}'"),
    };
}

/// <summary>One optimisation run of the multilayer communities (runs.csv).</summary>
public sealed record RunRow(int Instance, int Epoch, int Run, ulong Seed, double Modularity, int Communities, double Flexibility)
{
    /// <summary>The header of runs.csv.</summary>
    public static IReadOnlyList<string> Columns { get; } = ["instance", "epoch", "run", "seed", "modularity", "communities", "flexibility"];

    internal object[] Cells() => [Instance, Epoch, Run, Seed, Modularity, Communities, Flexibility];
}

/// <summary>One histogram bin pooled over instances (histograms.csv).</summary>
public sealed record HistogramRow(int Epoch, string Kind, int Bin, double Lower, double Upper, long Count)
{
    /// <summary>The header of histograms.csv.</summary>
    public static IReadOnlyList<string> Columns { get; } = ["epoch", "kind", "bin", "lower", "upper", "count"];

    internal object[] Cells() => [Epoch, Kind, Bin, Lower, Upper, Count];
}
