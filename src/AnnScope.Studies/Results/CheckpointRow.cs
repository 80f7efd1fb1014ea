namespace AnnScope.Results;

/// <summary>
/// One row of checkpoints.csv: an instance at a checkpoint — its accuracy figures (NaN when the activations
/// came without them) and every measure of its activations. Column order is the file's.
/// </summary>
public sealed record CheckpointRow
{
    public int Instance { get; init; }
    public int Epoch { get; init; }
    public double Accuracy { get; init; } = double.NaN;
    public double Tpr { get; init; } = double.NaN;
    public double Fpr { get; init; } = double.NaN;
    public double BalancedAccuracy { get; init; } = double.NaN;
    public double PaperAccuracy { get; init; } = double.NaN;
    public double Lambda { get; init; } = double.NaN;
    public double Eta { get; init; } = double.NaN;
    public double Loss { get; init; } = double.NaN;
    public double MultilayerModularity { get; init; }
    public int MultilayerCommunities { get; init; }
    public double Flexibility { get; init; }
    public double MultilayerModularityMean { get; init; }
    public double MultilayerModularitySd { get; init; }
    public double StaticModularity { get; init; }
    public int StaticCommunities { get; init; }
    public double Entropy { get; init; }
    public double MeanActivation { get; init; }
    public double StdActivation { get; init; }
    public double Kurtosis { get; init; }
    public double Skewness { get; init; }
    public double MeanCorrelation { get; init; }
    public double Pc1Ratio { get; init; }
    public double FullSync { get; init; }
    public double PartialSync { get; init; }
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
    public object[] Cells() =>
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
    public static IReadOnlyList<string> Columns { get; } = ["instance", "epoch", "run", "seed", "modularity", "communities", "flexibility"];

    public object[] Cells() => [Instance, Epoch, Run, Seed, Modularity, Communities, Flexibility];
}

/// <summary>One histogram bin pooled over instances (histograms.csv).</summary>
public sealed record HistogramRow(int Epoch, string Kind, int Bin, double Lower, double Upper, long Count)
{
    public static IReadOnlyList<string> Columns { get; } = ["epoch", "kind", "bin", "lower", "upper", "count"];

    public object[] Cells() => [Epoch, Kind, Bin, Lower, Upper, Count];
}
