using static AnnScope.Statistics.Claims.ClaimMath;

namespace AnnScope.Statistics.Claims;

public static partial class PaperClaims
{
    private const string MediationMeasure = "mixed models, instance as group: a M ~ X, c Y ~ X, b Y ~ M, c′ Y ~ X + M (X mean_correlation, M multilayer_modularity, Y accuracy)";

    private static ClaimResult Path(Judge j, string id, string statement, string rule, string paper, Func<PaperMediation, MediationPath> pick, int sign)
    {
        var claim = new Claim(id, "4D", statement, MediationMeasure, rule, paper);
        if (j.Evidence.Mediation is not { } mediation) return claim.Untestable("no mediation in the study (missing accuracy, or the models could not be fitted)");
        var path = pick(mediation);
        if (!double.IsFinite(path.Estimate) || !double.IsFinite(path.PValue)) return claim.Untestable("the coefficient or its test is undefined");
        bool holds = Math.Sign(path.Estimate) == sign && path.PValue < j.Rules.Alpha;
        var ci = double.IsFinite(path.CiLower) ? new MeanTest(path.Estimate, path.CiLower, path.CiUpper, path.PValue, 0) : null;
        return claim.Verdict(holds, $"β {F(path.Estimate)} (se {F(path.StdError)}, F {F(Square(path))}, p {P(path.PValue)})",
            holds ? "same sign as the paper, significant" : Math.Sign(path.Estimate) != sign ? "opposite sign to the paper" : "not significant", ci);
    }

    private static double Square(MediationPath p) => p.StdError > 0 ? Math.Pow(p.Estimate / p.StdError, 2) : double.NaN;

    private static ClaimResult MediationPathA(Judge j) => Path(j, "mediation_a", "Connection strength predicts modularity: weaker connections, higher modularity.",
        "a < 0 with F-test p < alpha", "β ≈ −0.112", m => m.A, -1);

    private static ClaimResult MediationPathC(Judge j) => Path(j, "mediation_c", "Connection strength predicts accuracy: weaker connections, higher accuracy.",
        "c < 0 with F-test p < alpha", "β ≈ −1.709", m => m.Total, -1);

    private static ClaimResult MediationPathB(Judge j) => Path(j, "mediation_b", "Modularity predicts accuracy.",
        "b (Y ~ M alone) > 0 with F-test p < alpha", "β ≈ 17.88", m => m.B, 1);

    private static ClaimResult FullMediation(Judge j)
    {
        var claim = new Claim("full_mediation", "4D", "With modularity in the model, connection strength no longer predicts accuracy: modularity fully mediates it.",
            MediationMeasure, "a and b significant and c′ not significant (F-test p >= alpha); partial when c′ is significant", "c′ β ≈ 0.280, p ≈ 0.10: full");
        if (j.Evidence.Mediation is not { } m) return claim.Untestable("no mediation in the study");
        var d = m.Direct;
        if (!double.IsFinite(d.PValue)) return claim.Untestable("c′ or its test is undefined");
        bool mediated = m.A.PValue < j.Rules.Alpha && m.B.PValue < j.Rules.Alpha;
        bool full = mediated && d.PValue >= j.Rules.Alpha;
        double share = m.Total.Estimate != 0 ? 1 - d.Estimate / m.Total.Estimate : double.NaN;
        var ci = double.IsFinite(d.CiLower) ? new MeanTest(d.Estimate, d.CiLower, d.CiUpper, d.PValue, 0) : null;
        return claim.Verdict(full, $"c′ β {F(d.Estimate)} (F {F(Square(d))}, p {P(d.PValue)}); 1 − c′/c = {F(share)}",
            full ? "full mediation" : !mediated ? "a or b not significant: no mediation" : $"partial mediation (c′ significant)", ci);
    }

    private static ClaimResult GrangerModularityToAccuracy(Judge j)
    {
        var claim = new Claim("granger_modularity_to_accuracy", "S1", "Modularity Granger-causes accuracy: its past helps predict accuracy beyond accuracy's own past.",
            "per-instance Granger F test on differenced series, lag by AIC; Stouffer's z over instances",
            "combined p (modularity → accuracy) < alpha; the reverse direction is reported", "supports modularity → accuracy");
        if (j.Evidence.ModularityToAccuracy is not { } forward || forward.Tested == 0)
            return claim.Untestable("no Granger test could be run (series too short or degenerate)");
        var reverse = j.Evidence.AccuracyToModularity;
        bool holds = forward.StoufferP < j.Rules.Alpha;
        return claim.Verdict(holds,
            $"modularity → accuracy: z {F(forward.StoufferZ)}, p {P(forward.StoufferP)} ({forward.Significant}/{forward.Tested} instances p < alpha); " +
            $"accuracy → modularity: {(reverse is null || reverse.Tested == 0 ? "untestable" : $"z {F(reverse.StoufferZ)}, p {P(reverse.StoufferP)} ({reverse.Significant}/{reverse.Tested})")}",
            holds ? "modularity's past predicts accuracy" : "no evidence that modularity's past predicts accuracy");
    }
}
