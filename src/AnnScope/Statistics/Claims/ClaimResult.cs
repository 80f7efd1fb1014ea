namespace AnnScope.Statistics.Claims;

/// <summary>Whether a claim of the paper holds in a study.</summary>
public enum ClaimVerdict
{
    /// <summary>The rule's conditions are all met.</summary>
    Holds,

    /// <summary>The rule could be applied and a condition failed.</summary>
    DoesNotHold,

    /// <summary>The study lacks what the rule needs (too few instances, checkpoints or windows, a missing measure).</summary>
    NotTestable,
}

/// <summary>
/// One claim of the paper, tested: its statement in our words, the figure, the measure and rule, our value(s) with a
/// confidence interval where one applies, the paper's value where it gives one, and the verdict with its reason.
/// </summary>
public sealed record ClaimResult(string Id, string Figure, string Statement, string Measure, string Rule, string Value,
    double? CiLower, double? CiUpper, string? Paper, ClaimVerdict Verdict, string Reason)
{
    /// <summary>The verdict as summary.json writes it: holds, does_not_hold, not_testable.</summary>
    public string VerdictName => Name(Verdict);

    /// <summary>The JSON name of a verdict.</summary>
    public static string Name(ClaimVerdict verdict) => verdict switch
    {
        ClaimVerdict.Holds => "holds",
        ClaimVerdict.DoesNotHold => "does_not_hold",
        _ => "not_testable",
    };
}
