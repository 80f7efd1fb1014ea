using System.Globalization;

namespace AnnScope.Benchmarks.Gate;

/// <summary>Compares measured figures with a baseline: a figure more than the tolerance below its baseline fails.</summary>
public static class GateComparison
{
    /// <summary>The gate's tolerance: a path fails when a figure falls more than 25% below its baseline.</summary>
    public const double Tolerance = 0.25;

    /// <summary>One failure per figure that fell too far (or that the measurement lacks), naming the path and both figures.</summary>
    public static IReadOnlyList<string> Failures(GateFigures baseline, GateFigures measured, double tolerance = Tolerance) =>
        Failing(baseline, measured, tolerance).Select(f => f.Message).ToList();

    /// <summary>The paths with at least one failing figure, in the baseline's order.</summary>
    public static IReadOnlyList<string> FailingPaths(GateFigures baseline, GateFigures measured, double tolerance = Tolerance) =>
        Failing(baseline, measured, tolerance).Select(f => f.Path).Distinct(StringComparer.Ordinal).ToList();

    private static List<(string Path, string Message)> Failing(GateFigures baseline, GateFigures measured, double tolerance)
    {
        var failures = new List<(string, string)>();
        foreach (var (name, expected) in baseline.Paths)
        {
            if (!measured.Paths.TryGetValue(name, out var actual))
            {
                failures.Add((name, $"{name}: not measured (the baseline has it)"));
                continue;
            }
            Check(failures, name, "rate vs sgemm", expected.RateVsSgemm, actual.RateVsSgemm, tolerance);
            if (expected.SpeedupVsReference is { } speedup)
                Check(failures, name, "speed-up vs managed reference", speedup, actual.SpeedupVsReference, tolerance);
        }
        return failures;
    }

    private static void Check(List<(string, string)> failures, string path, string figure, double baseline, double? measured, double tolerance)
    {
        if (measured is not { } value || !double.IsFinite(value))
            failures.Add((path, string.Create(CultureInfo.InvariantCulture, $"{path}: {figure} not measured (baseline {baseline:G4})")));
        else if (value < (1 - tolerance) * baseline)
            failures.Add((path, string.Create(CultureInfo.InvariantCulture,
                $"{path}: {figure} {value:G4} is {100 * (1 - value / baseline):F0}% below its baseline {baseline:G4} (allowed {100 * tolerance:F0}%)")));
    }
}
