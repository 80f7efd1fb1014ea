namespace AnnScope.Results;

/// <summary>One claim of the paper as summary.json states it (see <c>AnnScope.Statistics.Claims.ClaimResult</c>).</summary>
public sealed record StoredClaim(string Id, string Figure, string Statement, string Measure, string Rule, string Value,
    double? CiLower, double? CiUpper, string? Paper, string Verdict, string Reason);

/// <summary>The claims' verdicts per robustness variant: variant names in column order, verdicts by claim id then variant.</summary>
public sealed record StoredClaimsRobustness(IReadOnlyList<int> SubsetEpochs, IReadOnlyList<string> Variants,
    IReadOnlyList<KeyValuePair<string, IReadOnlyDictionary<string, string>>> Verdicts);

/// <summary>summary.json's claims sections as read back; empty for a summary written before they existed.</summary>
public sealed record StudyClaimsSummary(IReadOnlyList<StoredClaim> Claims, StoredClaimsRobustness? Robustness,
    IReadOnlyList<KeyValuePair<string, string>> Granger, IReadOnlyList<KeyValuePair<string, string>> ModeEvidence)
{
    /// <summary>No claims section.</summary>
    public static StudyClaimsSummary None { get; } = new([], null, [], []);

    /// <summary>The verdict names summary.json uses.</summary>
    public static IReadOnlyList<string> VerdictNames { get; } = ["holds", "does_not_hold", "not_testable"];
}
