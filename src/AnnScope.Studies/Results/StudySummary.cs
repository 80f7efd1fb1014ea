namespace AnnScope.Results;

/// <summary>summary.json as read back: the cross-instance statistics of a study. Null marks an undefined value.</summary>
public sealed record StudySummary
{
    public const string Format = "annscope-summary/1";

    /// <summary>The checkpoints.csv column correlated as "accuracy" (paper_accuracy or accuracy).</summary>
    public required string AccuracyColumn { get; init; }

    public required int Instances { get; init; }
    public required IReadOnlyList<int> Epochs { get; init; }

    /// <summary>The checkpoints.csv columns correlated with accuracy.</summary>
    public required IReadOnlyList<string> Measures { get; init; }

    public required IReadOnlyDictionary<string, IReadOnlyList<AcrossInstanceCorrelation>> AcrossInstance { get; init; }
    public required IReadOnlyDictionary<string, IReadOnlyList<WindowCorrelations>> WithinWindow { get; init; }
    public required IReadOnlyDictionary<string, IReadOnlyList<PooledWindowCorrelation>> PooledWindow { get; init; }
    public required LearningModeSummary LearningModes { get; init; }

    /// <summary>Mixed models by name ("&lt;y&gt;~&lt;x&gt;"), in the file's order.</summary>
    public required IReadOnlyList<KeyValuePair<string, StoredMixedModel>> MixedModels { get; init; }

    /// <summary>Mediation analyses by name ("&lt;x&gt;-&gt;&lt;m&gt;-&gt;&lt;y&gt;"): their fields as (path, text), in the file's order.</summary>
    public required IReadOnlyList<KeyValuePair<string, IReadOnlyList<KeyValuePair<string, string>>>> Mediation { get; init; }

    /// <summary>The headline numbers as (path, text), in the file's order.</summary>
    public required IReadOnlyList<KeyValuePair<string, string>> KeyNumbers { get; init; }

    /// <summary>The paper's claims judged on the study, their robustness, the Granger tests and the learning-mode evidence.</summary>
    public StudyClaimsSummary Claims { get; init; } = StudyClaimsSummary.None;
}

/// <summary>r(accuracy, measure) over instances at one checkpoint, with its two-sided p-value.</summary>
public sealed record AcrossInstanceCorrelation(int Epoch, double? R, double? P, int N);

/// <summary>Within-instance correlations over one window of checkpoints: per-instance r, their mean ± SEM and histogram.</summary>
public sealed record WindowCorrelations(int Window, int EpochStart, int EpochEnd, IReadOnlyList<double?> R, double? Mean, double? Sem,
    int NanCount, IReadOnlyList<double> HistogramEdges, IReadOnlyList<long> HistogramCounts);

/// <summary>r over all instances × checkpoints of one window, with the least-squares line.</summary>
public sealed record PooledWindowCorrelation(int Window, int EpochStart, int EpochEnd, double? R, double? P, int N, double? Slope, double? Intercept);

/// <summary>The learning mode of each instance (I, II, instant, other) and how the rule decided.</summary>
public sealed record LearningModeSummary(string Rule, IReadOnlyList<KeyValuePair<string, string>> Thresholds,
    IReadOnlyList<string> Instances, IReadOnlyList<KeyValuePair<string, int>> Counts);

/// <summary>One fixed effect of a mixed model (intercept first).</summary>
public sealed record StoredFixedEffect(string Name, double Estimate, double StdError, double TValue, double? Df, double? PValue);

/// <summary>A fitted mixed model (FIT.json of `annscope stats lmm`); optional fields are null when the file omits them.</summary>
public sealed record StoredMixedModel(IReadOnlyList<StoredFixedEffect> FixedEffects, double? SdIntercept, double? SdSlope, double? Corr,
    double? ResidualSd, double? LogLikelihood, bool? Reml, double? Aic, double? Bic, bool? Singular, int? NObs, int? NGroups);
