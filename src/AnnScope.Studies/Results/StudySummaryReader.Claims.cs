namespace AnnScope.Results;

internal static partial class StudySummaryReader
{
    private static StudyClaimsSummary ClaimsOf(StoreJson json, int instances)
    {
        if (json.Optional("claims") is not { } section) return StudyClaimsSummary.None;
        var claims = section["items"].Items().Select(c =>
        {
            var verdict = c["verdict"].String();
            if (!StudyClaimsSummary.VerdictNames.Contains(verdict)) throw c["verdict"].Error($"'{verdict}' is not a verdict ({string.Join(", ", StudyClaimsSummary.VerdictNames)})");
            return new StoredClaim(c["id"].String(), c["figure"].String(), c["statement"].String(), c["measure"].String(), c["rule"].String(),
                c["value"].String(), c["ci_lower"].NumberOrNull(), c["ci_upper"].NumberOrNull(),
                c["paper"].IsNull ? null : c["paper"].String(), verdict, c["reason"].String());
        }).ToArray();
        var ids = claims.Select(c => c.Id).ToHashSet();
        StoredClaimsRobustness? robustness = null;
        if (json.Optional("claims_robustness") is { } r)
        {
            var variants = r["variants"].Items().Select(v => v.String()).ToArray();
            var verdicts = r["verdicts"].Properties().Select(p =>
            {
                if (!ids.Contains(p.Name)) throw p.Value.Error($"'{p.Name}' is not a claim of the claims section");
                var byVariant = p.Value.Properties().ToDictionary(v => v.Name, v =>
                {
                    var text = v.Value.String();
                    return StudyClaimsSummary.VerdictNames.Contains(text) ? text : throw v.Value.Error($"'{text}' is not a verdict");
                });
                foreach (var name in byVariant.Keys)
                    if (!variants.Contains(name)) throw p.Value.Error($"'{name}' is not one of the variants");
                return KeyValuePair.Create(p.Name, (IReadOnlyDictionary<string, string>)byVariant);
            }).ToArray();
            robustness = new StoredClaimsRobustness(r["subset_epochs"].Items().Select(e => e.Int(0)).ToArray(), variants, verdicts);
        }
        var granger = json.Optional("granger") is { } g ? Leaves(g) : [];
        var modes = json["learning_modes"].Optional("evidence") is { } e
            ? e.Flatten().Where(l => !l.Path.StartsWith("instances", StringComparison.Ordinal) && !l.Path.Contains("mean_accuracy", StringComparison.Ordinal))
                .Select(l => KeyValuePair.Create(l.Path, l.Text)).ToArray()
            : [];
        return new StudyClaimsSummary(claims, robustness, granger, modes);
    }
}
