using System.Text.Json.Nodes;
using AnnScope.Statistics;
using MathNet.Numerics.Distributions;

using AnnScope.Results;

namespace AnnScope.Studies;

/// <summary>An estimate over a condition's instances with its 95% confidence interval (NaN where undefined).</summary>
public readonly record struct SweepEstimate(double Value, double Low, double High, int N)
{
    /// <summary>Nothing to estimate from.</summary>
    public static SweepEstimate Undefined(int n) => new(double.NaN, double.NaN, double.NaN, n);
}

/// <summary>One condition's headline numbers, each with a confidence interval over its instances.</summary>
public sealed record SweepRow(SweepCondition Condition, string Directory, int Instances, int FinalEpoch,
    IReadOnlyDictionary<string, SweepEstimate> Estimates);

/// <summary>
/// The cross-condition comparison of a sweep. Per condition, over its instances: the final accuracy, multilayer
/// modularity and flexibility (mean at the last checkpoint, Student-t interval); the across-instance
/// r(modularity, accuracy) at the last checkpoint (Fisher-z interval); and the within-window r(modularity,
/// accuracy), each instance's mean over its windows, averaged over instances (Student-t interval).
/// </summary>
public static class SweepStatistics
{
    /// <summary>The compared quantities, in report order.</summary>
    public static IReadOnlyList<string> Quantities { get; } =
        ["final_accuracy", "final_multilayer_modularity", "final_flexibility", "across_instance_r", "within_window_r"];

    /// <summary>The headline numbers of one complete condition.</summary>
    public static SweepRow Of(SweepCondition condition, StudyResults study)
    {
        var table = study.Checkpoints;
        int last = table.Epochs.Count - 1;
        double[] Final(string column) => [.. Enumerable.Range(0, table.Instances).Select(i => table[last, i][column])];
        double[][] Curves(string column) =>
            [.. Enumerable.Range(0, table.Instances).Select(i => Enumerable.Range(0, table.Epochs.Count).Select(c => table[c, i][column]).ToArray())];

        var accuracyColumn = condition.Config.AccuracyMeasure;
        var accuracy = Final(accuracyColumn);
        var modularity = Final("multilayer_modularity");
        var estimates = new Dictionary<string, SweepEstimate>
        {
            ["final_accuracy"] = Mean(accuracy),
            ["final_multilayer_modularity"] = Mean(modularity),
            ["final_flexibility"] = Mean(Final("flexibility")),
            ["across_instance_r"] = Correlation(modularity, accuracy),
            ["within_window_r"] = WithinWindow(Curves("multilayer_modularity"), Curves(accuracyColumn), condition.Config.CorrelationWindow),
        };
        return new SweepRow(condition, study.Directory, table.Instances, table.Epochs[^1], estimates);
    }

    /// <summary>Mean and Student-t 95% interval of the finite values.</summary>
    public static SweepEstimate Mean(IEnumerable<double> values)
    {
        var v = values.Where(double.IsFinite).ToArray();
        if (v.Length == 0) return SweepEstimate.Undefined(0);
        double mean = v.Average();
        if (v.Length < 2) return new SweepEstimate(mean, double.NaN, double.NaN, v.Length);
        double sd = Math.Sqrt(v.Sum(x => (x - mean) * (x - mean)) / (v.Length - 1));
        double half = StudentT.InvCDF(0, 1, v.Length - 1, 0.975) * sd / Math.Sqrt(v.Length);
        return new SweepEstimate(mean, mean - half, mean + half, v.Length);
    }

    /// <summary>Pearson r across instances with the Fisher-z 95% interval (needs 4 instances).</summary>
    public static SweepEstimate Correlation(double[] x, double[] y)
    {
        var r = CorrelationTest.Compute(x, y);
        if (!double.IsFinite(r.R)) return SweepEstimate.Undefined(r.N);
        if (r.N < 4 || Math.Abs(r.R) >= 1) return new SweepEstimate(r.R, double.NaN, double.NaN, r.N);
        double z = Math.Atanh(r.R), half = Normal.InvCDF(0, 1, 0.975) / Math.Sqrt(r.N - 3);
        return new SweepEstimate(r.R, Math.Tanh(z - half), Math.Tanh(z + half), r.N);
    }

    private static SweepEstimate WithinWindow(double[][] x, double[][] y, int window)
    {
        window = Math.Min(window, x[0].Length);
        if (window < 3) return SweepEstimate.Undefined(0);
        var windows = EpochRelations.WithinInstances(x, y, new WindowRelationOptions { Window = window });
        var perInstance = Enumerable.Range(0, x.Length).Select(i =>
        {
            var r = windows.Select(w => w.InstanceR[i]).Where(double.IsFinite).ToArray();
            return r.Length == 0 ? double.NaN : r.Average();
        });
        return Mean(perInstance);
    }

    /// <summary>sweep-summary.json: the swept fields and, per condition, its values and estimates.</summary>
    public static JsonObject ToJson(SweepPlan plan, IReadOnlyList<SweepRow> rows)
    {
        static JsonNode? Number(double v) => double.IsFinite(v) ? JsonValue.Create(v) : null;
        return new JsonObject
        {
            ["format"] = "annscope-sweep-summary/1",
            ["swept"] = new JsonArray([.. plan.Swept.Select(s => (JsonNode?)s)]),
            ["interval"] = "95% confidence: Student t over instances; Fisher z for the across-instance r",
            ["conditions"] = new JsonArray([.. rows.Select(row => (JsonNode?)new JsonObject
            {
                ["name"] = row.Condition.Name,
                ["directory"] = Path.Combine(Sweep.ConditionsDir, row.Condition.Name),
                ["values"] = new JsonObject(row.Condition.Values.Select(v => KeyValuePair.Create(v.Key, (JsonNode?)v.Value.DeepClone()))),
                ["instances"] = row.Instances,
                ["final_epoch"] = row.FinalEpoch,
                ["accuracy_column"] = row.Condition.Config.AccuracyMeasure,
                ["estimates"] = new JsonObject(Quantities.Select(q => KeyValuePair.Create(q, (JsonNode?)new JsonObject
                {
                    ["value"] = Number(row.Estimates[q].Value),
                    ["ci_low"] = Number(row.Estimates[q].Low),
                    ["ci_high"] = Number(row.Estimates[q].High),
                    ["n"] = row.Estimates[q].N,
                }))),
            })]),
        };
    }
}
