using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using AnnScope.Communities;
using static AnnScope.Tests.Communities.CommunityFixtures;

namespace AnnScope.Tests.Communities;

/// <summary>
/// The Louvain engine finds, seed for seed, the very partitions (and Q) the engine of 2026-12-05 found before it was
/// rewritten for speed (fixtures/community/engine-golden, see its README): a faster engine must not change a study's
/// results. Labels are compared through their SHA-256, Q to 1e-12 relative (the summation order of the aggregated
/// levels may differ in the last bits).
/// </summary>
public class EngineGoldenTests
{
    private static string GoldenPath => Path("engine-golden", "golden.json");

    /// <summary>One golden case: a named problem, a seed, and the options of the run.</summary>
    public sealed record Case(string Problem, string Options, long Seed)
    {
        public override string ToString() => $"{Problem}/{Options}/seed {Seed}";
    }

    public static IEnumerable<Case> Cases()
    {
        foreach (var problem in new[] { "planted-study", "signed-study", "planted-classic", "planted-study-60x20" })
            for (long seed = 0; seed < 6; seed++) yield return new Case(problem, "move", seed);
        foreach (var problem in new[] { "planted-study", "signed-study" })
            foreach (var options in new[] { "moverand", "moverandw", "iterated" })
                for (long seed = 0; seed < 2; seed++) yield return new Case(problem, options, seed);
        foreach (var problem in new[] { "single-study", "single-signed-study", "single-classic" })
            for (long seed = 0; seed < 6; seed++) yield return new Case(problem, "move", seed);
        // integer B and ω: sums are exact and equal gains abound, so the lowest-id rule decides most moves; and couplings
        // far below the gain threshold, which only tip near-equal gains
        foreach (var problem in new[] { "ties-30x40", "single-ties-80" })
        {
            for (long seed = 0; seed < 6; seed++) yield return new Case(problem, "move", seed);
            foreach (var options in new[] { "moverand", "moverandw" })
                for (long seed = 0; seed < 2; seed++) yield return new Case(problem, options, seed);
        }
        for (long seed = 0; seed < 3; seed++) yield return new Case("planted-study-tiny-omega", "move", seed);
        // windowed FC of trained HebbFF networks: weak modules, many aggregation levels and sweeps
        foreach (var problem in new[] { "hebbff-early-20x60", "hebbff-late-20x60" })
        {
            for (long seed = 0; seed < 6; seed++) yield return new Case(problem, "move", seed);
            foreach (var options in new[] { "moverand", "moverandw", "iterated" })
                for (long seed = 0; seed < 2; seed++) yield return new Case(problem, options, seed);
        }
    }

    public static TheoryData<string> CaseNames()
    {
        var data = new TheoryData<string>();
        foreach (var c in Cases()) data.Add(c.ToString());
        return data;
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void TheEngineFindsTheSamePartitionAndQAsBeforeItsRewrite(string name)
    {
        var c = Cases().Single(x => x.ToString() == name);
        var golden = JsonNode.Parse(File.ReadAllText(GoldenPath))!["cases"]![name]
            ?? throw new InvalidOperationException($"no golden entry for {name}: regenerate the fixture with the engine it was made by");
        var run = Run(c);
        double q = golden["raw_quality"]!.GetValue<double>();
        Assert.True(Math.Abs(run.RawQuality - q) <= 1e-12 * Math.Max(1, Math.Abs(q)),
            $"{name}: raw Q {run.RawQuality:R}, before the rewrite {q:R}");
        Assert.Equal(golden["communities"]!.GetValue<int>(), run.Communities);
        Assert.Equal(golden["labels_sha256"]!.GetValue<string>(), Hash(run.Labels));
    }

    /// <summary>
    /// Writes the golden file from the engine as it is now; run only by hand (ANNSCOPE_WRITE_ENGINE_GOLDEN=1), once,
    /// with the engine the fixture is meant to freeze.
    /// </summary>
    [Fact]
    public void WriteGoldenWhenAsked()
    {
        if (Environment.GetEnvironmentVariable("ANNSCOPE_WRITE_ENGINE_GOLDEN") != "1") return;
        var cases = new JsonObject();
        foreach (var c in Cases())
        {
            var run = Run(c);
            cases[c.ToString()] = new JsonObject
            {
                ["raw_quality"] = run.RawQuality,
                ["modularity"] = run.Modularity,
                ["communities"] = run.Communities,
                ["labels_sha256"] = Hash(run.Labels),
            };
        }
        var root = new JsonObject { ["cases"] = cases };
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(GoldenPath)!);
        File.WriteAllText(GoldenPath, root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
    }

    private static LouvainRun Run(Case c)
    {
        var options = c.Options switch
        {
            "move" => LouvainOptions.Paper,
            "moverand" => new LouvainOptions { MoveRule = MoveRule.MoveRand },
            "moverandw" => new LouvainOptions { MoveRule = MoveRule.MoveRandW },
            "iterated" => LouvainOptions.Robust,
            _ => throw new ArgumentException(c.Options),
        };
        return c.Problem switch
        {
            "planted-study" => Louvain.Run(MultilayerModularity.FromConnectivity(CorrWindows, Windows, Units, LayerObjective.Study, 1.0), c.Seed, options),
            "signed-study" => Louvain.Run(MultilayerModularity.FromConnectivity(Signed(CorrWindows), Windows, Units, LayerObjective.Study, 1.0), c.Seed, options),
            "planted-classic" => Louvain.Run(MultilayerModularity.FromConnectivity(ZeroDiagonal(CorrWindows, Units), Windows, Units, LayerObjective.Classic, 1.0), c.Seed, options),
            "planted-study-60x20" => Louvain.Run(MultilayerModularity.FromConnectivity(SubWindows(17, 20, 0, 60), 20, 60, LayerObjective.Study, 0.5), c.Seed, options),
            "single-study" => Louvain.Run(ModularityMatrix.FromConnectivity(CorrFull, Units, LayerObjective.Study), c.Seed, options),
            "single-signed-study" => Louvain.Run(ModularityMatrix.FromConnectivity(Signed(CorrFull), Units, LayerObjective.Study), c.Seed, options),
            "single-classic" => Louvain.Run(ModularityMatrix.FromConnectivity(ZeroDiagonal(CorrFull, Units), Units, LayerObjective.Classic), c.Seed, options),
            "ties-30x40" => Louvain.Run(MultilayerModularity.FromLayerMatrices(
                Enumerable.Range(0, 30).Select(layer => ModularityMatrix.FromMatrix(IntegerModules(40, 1000 + layer), 40)).ToList(), 1.0), c.Seed, options),
            "single-ties-80" => Louvain.Run(ModularityMatrix.FromMatrix(IntegerModules(80, 7), 80), c.Seed, options),
            "planted-study-tiny-omega" => Louvain.Run(MultilayerModularity.FromConnectivity(CorrWindows, Windows, Units, LayerObjective.Study, 1e-13), c.Seed, options),
            "hebbff-early-20x60" or "hebbff-late-20x60" => Louvain.Run(MultilayerModularity.FromConnectivity(HebbffWindows(c.Problem), 20, 60, LayerObjective.Study, 1.0), c.Seed, options),
            _ => throw new ArgumentException(c.Problem),
        };
    }

    /// <summary>20 windows × 60 units of a study's windowed FC (float32, see the fixture's README).</summary>
    private static float[] HebbffWindows(string name)
    {
        var bytes = File.ReadAllBytes(Path("engine-golden", name + ".f32"));
        var fc = new float[20 * 60 * 60];
        if (bytes.Length != fc.Length * sizeof(float)) throw new InvalidDataException($"{name}.f32: {bytes.Length} bytes, expected {fc.Length * sizeof(float)}");
        for (int k = 0; k < fc.Length; k++) fc[k] = BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(4 * k));
        return fc;
    }

    /// <summary>
    /// A symmetric integer B over <paramref name="nodes"/> nodes: four modules (of nodes i mod 4) with entries in {0, 1, 2}
    /// inside and {−2, −1, 0, 1} across, drawn from <paramref name="seed"/>.
    /// </summary>
    private static double[] IntegerModules(int nodes, int seed)
    {
        var rng = new Random(seed);
        var b = new double[nodes * nodes];
        for (int i = 0; i < nodes; i++)
            for (int j = 0; j <= i; j++)
                b[i * nodes + j] = b[j * nodes + i] = i % 4 == j % 4 ? rng.Next(0, 3) : rng.Next(-2, 2);
        return b;
    }

    /// <summary>
    /// The planted FC with units 30–59 and 90–99 sign-flipped (entry (i, j) times s_i·s_j): the same modules, now with
    /// strongly negative blocks, so that the signed split's negative term shapes the partitions.
    /// </summary>
    private static double[] Signed(double[] fc)
    {
        var result = (double[])fc.Clone();
        static int Sign(int i) => i is >= 30 and < 60 or >= 90 and < 100 ? -1 : 1;
        for (int s = 0; s < fc.Length / (Units * Units); s++)
            for (int i = 0; i < Units; i++)
                for (int j = 0; j < Units; j++) result[(s * Units + i) * Units + j] *= Sign(i) * Sign(j);
        return result;
    }

    private static string Hash(int[] labels)
    {
        var bytes = new byte[labels.Length * 4];
        for (int i = 0; i < labels.Length; i++) BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(4 * i), labels[i]);
        return Convert.ToHexStringLower(SHA256.HashData(bytes));
    }
}
