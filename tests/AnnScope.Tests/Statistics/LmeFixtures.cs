using System.Collections.Concurrent;
using System.Text.Json;
using AnnScope.IO;
using AnnScope.Statistics;
using AnnScope.Tests.Support;

namespace AnnScope.Tests.Statistics;

/// <summary>The lme4 reference datasets and results of tests/fixtures/stats (see its README).</summary>
internal static class LmeFixtures
{
    internal static readonly string[] Datasets = ["simple", "study_like", "singular", "unbalanced"];
    internal static readonly string[] Kinds = ["corr", "uncorr", "intercept"];

    private static readonly ConcurrentDictionary<string, (MixedModelData Data, JsonElement Root)> Cache = new();

    internal static MixedModelData Data(string dataset) => Load(dataset).Data;
    internal static JsonElement Root(string dataset) => Load(dataset).Root;

    internal static JsonElement Fit(string dataset, string fitId) => Root(dataset).GetProperty("fits").GetProperty(fitId);

    internal static RandomEffects Structure(string kind) => kind switch
    {
        "corr" => RandomEffects.Correlated,
        "uncorr" => RandomEffects.Uncorrelated,
        "intercept" => RandomEffects.InterceptOnly,
        _ => throw new ArgumentException(kind),
    };

    private static readonly ConcurrentDictionary<(string, string, bool), MixedModelFit> Fits = new();

    /// <summary>Our fit of a fixture model, computed once per test run.</summary>
    internal static MixedModelFit OurFit(string dataset, string kind, bool reml) =>
        Fits.GetOrAdd((dataset, kind, reml), key =>
            LinearMixedModel.Fit(Data(key.Item1), new MixedModelOptions { RandomEffects = Structure(key.Item2), Reml = key.Item3 }));

    internal static double[] Doubles(this JsonElement e) =>
        e.EnumerateArray().Select(v => v.ValueKind == JsonValueKind.Null ? double.NaN : v.GetDouble()).ToArray();

    internal static double Number(this JsonElement e, string name)
    {
        var v = e.GetProperty(name);
        return v.ValueKind == JsonValueKind.Null ? double.NaN : v.GetDouble();
    }

    private static (MixedModelData Data, JsonElement Root) Load(string dataset) => Cache.GetOrAdd(dataset, name =>
    {
        var table = CsvTable.Read(Repo.Fixture("stats", name + ".csv"));
        var data = MixedModelData.Create(table.Numeric("y"), table.Numeric("x"), table.Text("g"));
        using var doc = JsonDocument.Parse(File.ReadAllText(Repo.Fixture("stats", name + ".json")));
        return (data, doc.RootElement.Clone());
    });
}
