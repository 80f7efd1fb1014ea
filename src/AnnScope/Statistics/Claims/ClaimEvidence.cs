namespace AnnScope.Statistics.Claims;

/// <summary>
/// What a study measured, as the claims need it: per-instance curves by column name ([instance][checkpoint], NaN where
/// a checkpoint was not measured), and the derived results some claims rest on. Anything absent makes the claims that
/// need it "not testable with this study".
/// </summary>
public sealed record ClaimEvidence
{
    /// <summary>The checkpoint epochs, increasing.</summary>
    public required IReadOnlyList<int> Epochs { get; init; }

    /// <summary>The column that is "accuracy" (paper_accuracy in the paper preset).</summary>
    public required string AccuracyColumn { get; init; }

    /// <summary>Curves by column name (accuracy, multilayer_modularity, …), one array per instance.</summary>
    public required IReadOnlyDictionary<string, double[][]> Curves { get; init; }

    /// <summary>Checkpoints per within-instance window.</summary>
    public int CorrelationWindow { get; init; } = 10;

    /// <summary>The learning mode of each instance: I, II, instant or other.</summary>
    public IReadOnlyList<string>? LearningModes { get; init; }

    /// <summary>The paper's mediation, connection strength → modularity → accuracy.</summary>
    public PaperMediation? Mediation { get; init; }

    /// <summary>Granger tests combined over instances, modularity → accuracy and accuracy → modularity.</summary>
    public GrangerCombined? ModularityToAccuracy { get; init; }

    /// <summary>The reverse direction of <see cref="ModularityToAccuracy"/>.</summary>
    public GrangerCombined? AccuracyToModularity { get; init; }

    /// <summary>Pooled activation histograms, one per checkpoint.</summary>
    public HistogramSeries? ActivationHistograms { get; init; }

    /// <summary>Pooled correlation histograms, one per checkpoint.</summary>
    public HistogramSeries? CorrelationHistograms { get; init; }

    /// <summary>Module contrast of the allegiance matrices at the snapshot epochs, increasing.</summary>
    public IReadOnlyList<AllegianceContrast>? Allegiance { get; init; }

    /// <summary>The measures on FCs of activations shuffled per unit within each window (the decorrelation null), by column.</summary>
    public IReadOnlyDictionary<string, double[][]>? NullCurves { get; init; }
}

/// <summary>The four coefficients the paper reports (each with its F test: F = t², Satterthwaite df).</summary>
public sealed record PaperMediation(MediationPath A, MediationPath B, MediationPath Total, MediationPath Direct);

/// <summary>Histogram counts per checkpoint over shared bin edges.</summary>
public sealed record HistogramSeries(double[] Edges, long[][] Counts);

/// <summary>
/// Mean allegiance within consensus modules minus mean allegiance between them, per instance, at one snapshot epoch:
/// 0 for no module structure, 1 for sharp, perfectly contrasting modules.
/// </summary>
public sealed record AllegianceContrast(int Epoch, double[] PerInstance);
