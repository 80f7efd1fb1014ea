namespace AnnScope.Studies;

/// <summary>The named starting points of a study (science.md, "presets").</summary>
public static class StudyPresets
{
    /// <summary>Small enough for about two minutes on two cores, with the robust analysis.</summary>
    public static StudyConfig Quick { get; } = new();

    /// <summary>The published study as its code ran it: 120 instances, 1000 epochs, one `move` run per checkpoint.</summary>
    public static StudyConfig Paper { get; } = new()
    {
        Preset = "paper",
        Instances = 120,
        Epochs = 1000,
        Every = 10,
        InputDim = 100,
        Hidden = 120,
        Repeat = 5,
        Length = 2500,
        Windows = 50,
        Runs = 1,
        Iterated = false,
        StaticRuns = 1,
        AccuracyMeasure = "paper_accuracy",
        PaperCorrelationMask = true,
        // the paths carry random slopes as the paper's: each bootstrap refit is costly, and the F tests decide
        MediationBootstrap = 200,
    };

    /// <summary>Names accepted by --preset.</summary>
    public static IReadOnlyList<string> Names { get; } = ["quick", "paper"];

    /// <summary>The preset called <paramref name="name"/>.</summary>
    public static StudyConfig Get(string name) => name switch
    {
        "quick" => Quick,
        "paper" => Paper,
        _ => throw new ArgumentException($"unknown preset '{name}' (one of: {string.Join(", ", Names)})"),
    };
}
