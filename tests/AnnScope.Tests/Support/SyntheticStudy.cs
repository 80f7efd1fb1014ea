using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using AnnScope.IO;
using MathNet.Numerics.Distributions;

namespace AnnScope.Tests.Support;

/// <summary>
/// Writes a small, plausible study directory exactly as STORE_FORMAT.md describes it (independently of the
/// pipeline's writer): instances that learn in the study's modes, modularity rising and flexibility falling
/// with accuracy, pooled histograms, allegiance snapshots with planted modules, and a summary whose
/// statistics are computed from those tables.
/// </summary>
public sealed class SyntheticStudy
{
    public int Instances { get; init; } = 8;
    public int Units { get; init; } = 12;
    public int Every { get; init; } = 10;
    public int Epochs { get; init; } = 200;
    public int Window { get; init; } = 10;
    public ulong Seed { get; init; } = 7;
    public string Status { get; init; } = "complete";
    public bool WithRuns { get; init; } = true;

    public int[] CheckpointEpochs => [.. Enumerable.Range(0, Epochs / Every + 1).Select(c => c * Every)];
    public int[] AllegianceEpochs => [.. Enumerable.Range(0, 6).Select(k => CheckpointEpochs[(int)Math.Round(k * (CheckpointEpochs.Length - 1) / 5.0)]).Distinct()];

    /// <summary>Learning mode of each instance, cycling through the study's modes.</summary>
    public string ModeOf(int instance) => (instance % 4) switch { 0 or 1 => "I", 2 => "II", _ => instance % 8 == 3 ? "instant" : "other" };

    /// <summary>Values written, [checkpoint][instance], by column.</summary>
    public Dictionary<string, double[][]> Columns { get; } = [];

    public static readonly string[] Measures = ["multilayer_modularity", "flexibility", "entropy"];

    public const string ModelName = "paper_accuracy~multilayer_modularity", MediationName = "epoch->multilayer_modularity->paper_accuracy";
    public const double ModelSlope = 0.8731, ModelSlopeSe = 0.0412, IndirectEffect = 0.00231;

    public void Write(string dir)
    {
        Directory.CreateDirectory(dir);
        var rng = new Random(11);
        var epochs = CheckpointEpochs;
        int n = epochs.Length;
        foreach (var c in CheckpointRowColumns) Columns[c] = [.. Enumerable.Range(0, n).Select(_ => new double[Instances])];
        for (int i = 0; i < Instances; i++)
            for (int c = 0; c < n; c++) Fill(i, c, (double)c / (n - 1), rng);

        var csv = new StringBuilder(string.Join(',', CheckpointRowColumns) + "\n");
        for (int c = 0; c < n; c++)
            for (int i = 0; i < Instances; i++)
                csv.Append(string.Join(',', CheckpointRowColumns.Select(col => Cell(col, Columns[col][c][i])))).Append('\n');
        File.WriteAllText(Path.Combine(dir, "checkpoints.csv"), csv.ToString());

        if (WithRuns)
        {
            var runs = new StringBuilder("instance,epoch,run,seed,modularity,communities,flexibility\n");
            for (int c = 0; c < n; c++)
                for (int i = 0; i < Instances; i++)
                    for (int r = 0; r < 2; r++)
                        runs.Append(FormattableString.Invariant(
                            $"{i},{epochs[c]},{r},{1000003UL * (ulong)(i * n + c) + (ulong)r},{R(Columns["multilayer_modularity"][c][i] - 0.01 * r)},{Columns["multilayer_communities"][c][i] + r},{R(Columns["flexibility"][c][i])}\n"));
            File.WriteAllText(Path.Combine(dir, "runs.csv"), runs.ToString());
        }

        var hist = new StringBuilder("epoch,kind,bin,lower,upper,count\n");
        for (int c = 0; c < n; c++)
        {
            double spread = 4 + 12.0 * c / (n - 1);
            AppendHistogram(hist, epochs[c], "activation", -40, 40, x => Math.Exp(-x * x / (2 * spread * spread)), 3000 * Instances * Units);
            double centre = 0.05 + 0.15 * c / (n - 1);
            AppendHistogram(hist, epochs[c], "correlation", -1, 1, x => Math.Exp(-(x - centre) * (x - centre) / 0.08), Instances * Units * (Units - 1) / 2);
        }
        File.WriteAllText(Path.Combine(dir, "histograms.csv"), hist.ToString());

        Directory.CreateDirectory(Path.Combine(dir, "allegiance"));
        foreach (int epoch in AllegianceEpochs) WriteAllegiance(dir, epoch, rng);

        File.WriteAllText(Path.Combine(dir, "study.json"), StudyJson().ToJsonString());
        File.WriteAllText(Path.Combine(dir, "summary.json"), SummaryJson().ToJsonString());
    }

    public static readonly string[] CheckpointRowColumns =
    [
        "instance", "epoch", "accuracy", "tpr", "fpr", "balanced_accuracy", "paper_accuracy", "lambda", "eta", "loss",
        "multilayer_modularity", "multilayer_communities", "flexibility", "multilayer_modularity_mean", "multilayer_modularity_sd",
        "static_modularity", "static_communities", "entropy", "mean_activation", "std_activation", "kurtosis", "skewness",
        "mean_correlation", "pc1_ratio", "full_sync", "partial_sync", "constant_units",
    ];

    private void Fill(int i, int c, double t, Random rng)
    {
        double Noise(double s) => s * (rng.NextDouble() * 2 - 1);
        double progress = ModeOf(i) switch
        {
            "I" => t < 0.25 + 0.05 * i ? 0 : Math.Min(1, (t - 0.25 - 0.05 * i) * 2.2),
            "II" => t < 0.15 ? t * 4 : t < 0.35 ? 0.6 - (t - 0.15) * 2 : Math.Min(1, 0.2 + (t - 0.35) * 1.6),
            "instant" => 0.9 + 0.1 * t,
            _ => 0.5 * t,
        };
        double paper = Math.Clamp(1.0 / 3 + 0.6 * progress + Noise(0.02), 0, 1);
        double tpr = Math.Clamp(0.05 + 0.9 * progress + Noise(0.02), 0, 1), fpr = Math.Clamp(0.02 + 0.1 * (1 - progress) + Noise(0.01), 0, 1);
        Set("instance", i); Set("epoch", CheckpointEpochs[c]);
        Set("tpr", tpr); Set("fpr", fpr);
        Set("accuracy", Math.Clamp((tpr + 2 * (1 - fpr)) / 3, 0, 1));
        Set("balanced_accuracy", (tpr + 1 - fpr) / 2);
        Set("paper_accuracy", paper);
        Set("lambda", 0.99 - 0.1 * t); Set("eta", -0.05 - 0.2 * t); Set("loss", 0.69 - 0.5 * progress + Noise(0.01));
        double q = 0.18 + 0.25 * progress + Noise(0.03);
        Set("multilayer_modularity", q); Set("multilayer_modularity_mean", q - 0.004); Set("multilayer_modularity_sd", 0.003 + 0.002 * rng.NextDouble());
        Set("multilayer_communities", 3 + rng.Next(5));
        Set("flexibility", Math.Clamp(0.35 - 0.25 * progress + Noise(0.03), 0, 1));
        Set("static_modularity", 0.12 + 0.2 * progress + Noise(0.02)); Set("static_communities", 2 + rng.Next(4));
        Set("entropy", -60 + 35 * progress + Noise(3));
        Set("mean_activation", -1.5 + 2 * t + Noise(0.2)); Set("std_activation", 4 + 8 * t + rng.NextDouble());
        Set("kurtosis", 3 + Noise(0.4) + 0.5 * t); Set("skewness", Noise(0.3) - 0.2 * t);
        Set("mean_correlation", 0.05 + 0.2 * progress + Noise(0.02)); Set("pc1_ratio", 0.1 + 0.2 * progress);
        Set("full_sync", 1 / (0.5 + t)); Set("partial_sync", 1 / (0.4 + t)); Set("constant_units", 0);

        void Set(string column, double value) => Columns[column][c][i] = value;
    }

    private static string Cell(string column, double value) =>
        column is "instance" or "epoch" or "multilayer_communities" or "static_communities" or "constant_units"
            ? ((long)value).ToString(CultureInfo.InvariantCulture) : R(value);

    private static string R(double v) => double.IsNaN(v) ? "NaN" : v.ToString("R", CultureInfo.InvariantCulture);

    private static void AppendHistogram(StringBuilder csv, int epoch, string kind, double lo, double hi, Func<double, double> shape, long total)
    {
        double width = (hi - lo) / 20;
        var weights = Enumerable.Range(0, 20).Select(b => shape(lo + (b + 0.5) * width)).ToArray();
        double sum = weights.Sum();
        for (int b = 0; b < 20; b++)
            csv.Append(FormattableString.Invariant($"{epoch},{kind},{b},{R(lo + b * width)},{R(lo + (b + 1) * width)},{(long)Math.Round(total * weights[b] / sum)}\n"));
    }

    private void WriteAllegiance(string dir, int epoch, Random rng)
    {
        int m = Units;
        var matrices = new float[Instances * m * m];
        var modules = new double[Instances * m];
        for (int i = 0; i < Instances; i++)
        {
            // planted modules over a shuffled unit order, so the display must reorder the units
            var units = Enumerable.Range(0, m).OrderBy(_ => rng.Next()).ToArray();
            int k = 3 + epoch % 2;
            for (int pos = 0; pos < m; pos++) modules[i * m + units[pos]] = 1 + pos * k / m;
            for (int a = 0; a < m; a++)
                for (int b = 0; b < m; b++)
                    matrices[(i * m + a) * m + b] = a == b ? 1f
                        : modules[i * m + a] == modules[i * m + b] ? (float)(0.8 + 0.15 * rng.NextDouble()) : (float)(0.2 * rng.NextDouble());
            for (int a = 0; a < m; a++)
                for (int b = 0; b < a; b++) matrices[(i * m + a) * m + b] = matrices[(i * m + b) * m + a];
        }
        Npy.Write<float>(Path.Combine(dir, "allegiance", $"epoch_{epoch:D5}.npy"), matrices, Instances, m, m);
        Npy.Write<double>(Path.Combine(dir, "allegiance", $"epoch_{epoch:D5}_modules.npy"), modules, Instances, m);
    }

    private JsonObject StudyJson() => new()
    {
        ["format"] = "annscope-study/1",
        ["version"] = "0.1.0",
        ["status"] = Status,
        ["config"] = new JsonObject
        {
            ["preset"] = "quick", ["seed"] = Seed, ["instances"] = Instances, ["hidden"] = Units, ["epochs"] = Epochs, ["every"] = Every,
            ["runs"] = 2, ["gamma_pos"] = 1.02, ["accuracy_measure"] = "paper_accuracy",
        },
        ["seed"] = Seed,
        ["backend"] = "mkl",
        ["host"] = new JsonObject { ["machine"] = "testhost", ["os"] = "Debian GNU/Linux 12", ["cores"] = 2, ["native"] = "MKL 2020.4 (sequential)" },
        ["timings"] = new JsonObject { ["training"] = 12.5, ["analysis"] = 30.25, ["statistics"] = 1.5 },
        ["peak_memory_bytes"] = 314572800L,
        ["checkpoints_completed"] = CheckpointEpochs.Length,
        ["allegiance_epochs"] = new JsonArray([.. AllegianceEpochs.Select(e => (JsonNode)e)]),
    };

    private JsonObject SummaryJson()
    {
        var epochs = CheckpointEpochs;
        var accuracy = Columns["paper_accuracy"];
        var across = new JsonObject();
        var within = new JsonObject();
        var pooled = new JsonObject();
        foreach (var measure in Measures)
        {
            var values = Columns[measure];
            across[measure] = new JsonArray([.. epochs.Select((e, c) =>
            {
                var (r, p) = Pearson(accuracy[c], values[c]);
                return (JsonNode)new JsonObject { ["epoch"] = e, ["r"] = r, ["p"] = p, ["n"] = Instances };
            })]);
            var windows = new JsonArray();
            var pools = new JsonArray();
            for (int w = 0; (w + 1) * Window <= epochs.Length; w++)
            {
                var cs = Enumerable.Range(w * Window, Window).ToArray();
                var rs = Enumerable.Range(0, Instances).Select(i => Pearson([.. cs.Select(c => accuracy[c][i])], [.. cs.Select(c => values[c][i])]).R).ToArray();
                var defined = rs.Where(r => r.HasValue).Select(r => r!.Value).ToArray();
                double mean = defined.Average(), sem = Math.Sqrt(defined.Sum(r => (r - mean) * (r - mean)) / (defined.Length - 1) / defined.Length);
                var edges = Enumerable.Range(0, 11).Select(k => -1 + 0.2 * k).ToArray();
                var counts = new long[10];
                foreach (var r in defined) counts[Math.Min(9, (int)((r + 1) / 0.2))]++;
                windows.Add(new JsonObject
                {
                    ["window"] = w, ["epoch_start"] = epochs[cs[0]], ["epoch_end"] = epochs[cs[^1]],
                    ["r"] = new JsonArray([.. rs.Select(r => (JsonNode?)r)]), ["mean"] = mean, ["sem"] = sem, ["nan_count"] = rs.Length - defined.Length,
                    ["histogram"] = new JsonObject { ["edges"] = new JsonArray([.. edges.Select(e => (JsonNode)e)]), ["counts"] = new JsonArray([.. counts.Select(k => (JsonNode)k)]) },
                });
                double[] xs = [.. cs.SelectMany(c => values[c])], ys = [.. cs.SelectMany(c => accuracy[c])];
                var (pr, pp) = Pearson(ys, xs);
                double mx = xs.Average(), my = ys.Average();
                double slope = xs.Zip(ys, (x, y) => (x - mx) * (y - my)).Sum() / xs.Sum(x => (x - mx) * (x - mx));
                pools.Add(new JsonObject
                {
                    ["window"] = w, ["epoch_start"] = epochs[cs[0]], ["epoch_end"] = epochs[cs[^1]], ["r"] = pr, ["p"] = pp, ["n"] = xs.Length,
                    ["slope"] = slope, ["intercept"] = my - slope * mx,
                });
            }
            within[measure] = windows;
            pooled[measure] = pools;
        }
        var labels = Enumerable.Range(0, Instances).Select(ModeOf).ToArray();
        return new JsonObject
        {
            ["format"] = "annscope-summary/1",
            ["accuracy_column"] = "paper_accuracy",
            ["instances"] = Instances,
            ["epochs"] = new JsonArray([.. epochs.Select(e => (JsonNode)e)]),
            ["measures"] = new JsonArray([.. Measures.Select(m => (JsonNode)m)]),
            ["across_instance"] = across,
            ["within_window"] = within,
            ["pooled_window"] = pooled,
            ["learning_modes"] = new JsonObject
            {
                ["rule"] = "mode I: at chance (< 0.4) for at least 3 checkpoints, then above 0.7; mode II: above 0.5 early, a dip of 0.1, recovery; instant: above 0.85 at the first checkpoint",
                ["thresholds"] = new JsonObject { ["chance"] = 0.4, ["plateau_checkpoints"] = 3, ["dip"] = 0.1 },
                ["instances"] = new JsonArray([.. labels.Select(l => (JsonNode)l)]),
                ["counts"] = new JsonObject([.. new[] { "I", "II", "instant", "other" }.Select(m => KeyValuePair.Create(m, (JsonNode?)labels.Count(l => l == m)))]),
            },
            ["mixed_models"] = new JsonObject
            {
                [ModelName] = new JsonObject
                {
                    ["fixed_effects"] = new JsonArray(
                        new JsonObject { ["name"] = "(Intercept)", ["estimate"] = 0.2114, ["std_error"] = 0.0213, ["t_value"] = 9.925, ["df"] = 7.2, ["p_value"] = 1.9e-5 },
                        new JsonObject { ["name"] = "multilayer_modularity", ["estimate"] = ModelSlope, ["std_error"] = ModelSlopeSe, ["t_value"] = 21.19, ["df"] = 6.9, ["p_value"] = 1.4e-7 }),
                    ["random"] = new JsonObject { ["sd_intercept"] = 0.041, ["sd_slope"] = 0.12, ["corr"] = -0.35 },
                    ["residual_sd"] = 0.052, ["log_likelihood"] = 251.3, ["reml"] = true, ["aic"] = -490.6, ["bic"] = -470.2,
                    ["singular"] = false, ["n_obs"] = Instances * epochs.Length, ["n_groups"] = Instances,
                },
            },
            ["mediation"] = new JsonObject
            {
                [MediationName] = new JsonObject
                {
                    ["a"] = 0.00131, ["b"] = 1.762, ["indirect"] = IndirectEffect, ["indirect_ci"] = new JsonArray(0.00171, 0.00298),
                    ["direct"] = 0.00045, ["total"] = 0.00276, ["boot"] = 1000, ["seed"] = 1,
                },
            },
            ["key_numbers"] = new JsonObject
            {
                ["mean_accuracy_first"] = accuracy[0].Average(),
                ["mean_accuracy_last"] = accuracy[^1].Average(),
                ["peak_across_instance_r_modularity"] = new JsonObject { ["epoch"] = epochs[epochs.Length / 2], ["r"] = 0.61 },
            },
        };
    }

    /// <summary>Pearson r and its two-sided t-test p-value; null r for a constant series.</summary>
    public static (double? R, double? P) Pearson(double[] x, double[] y)
    {
        double mx = x.Average(), my = y.Average();
        double sxy = x.Zip(y, (a, b) => (a - mx) * (b - my)).Sum(), sxx = x.Sum(a => (a - mx) * (a - mx)), syy = y.Sum(b => (b - my) * (b - my));
        if (sxx == 0 || syy == 0) return (null, null);
        double r = Math.Clamp(sxy / Math.Sqrt(sxx * syy), -1, 1);
        int df = x.Length - 2;
        double t = r * Math.Sqrt(df / Math.Max(1e-300, 1 - r * r));
        return (r, 2 * (1 - StudentT.CDF(0, 1, df, Math.Abs(t))));
    }
}
