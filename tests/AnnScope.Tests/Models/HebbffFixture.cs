using System.IO.Compression;
using System.Text.Json;
using AnnScope.IO;
using AnnScope.Models;
using AnnScope.Tests.Support;

namespace AnnScope.Tests.Models;

/// <summary>One case of tests/fixtures/hebbff: PyTorch's float64 forward pass, gradients and one Adam step.</summary>
public sealed class HebbffFixture
{
    private readonly Dictionary<string, (double[] Data, long[] Shape)> arrays = new();

    public string Name { get; }
    public int InputDim { get; }
    public int Hidden { get; }
    public int Length { get; }
    public int RepeatInterval { get; }
    public Plasticity Plasticity { get; }
    public double Loss { get; }
    public double FamiliarFraction { get; }
    public double Lambda { get; }
    public double Eta { get; }

    public static readonly string[] Cases = ["tiny_anti", "tiny_free", "study_anti", "study_free"];

    public HebbffFixture(string name)
    {
        Name = name;
        using var json = JsonDocument.Parse(File.ReadAllText(Repo.Fixture("hebbff", "cases.json")));
        var entry = json.RootElement.EnumerateArray().Single(e => e.GetProperty("name").GetString() == name);
        InputDim = entry.GetProperty("d").GetInt32();
        Hidden = entry.GetProperty("M").GetInt32();
        Length = entry.GetProperty("T").GetInt32();
        RepeatInterval = entry.GetProperty("R").GetInt32();
        Plasticity = entry.GetProperty("mode").GetString() switch
        {
            "anti" => Plasticity.Anti,
            "free" => Plasticity.Free,
            var other => throw new InvalidDataException($"unknown mode {other}"),
        };
        Loss = entry.GetProperty("loss").GetDouble();
        FamiliarFraction = entry.GetProperty("familiar_fraction").GetDouble();
        Lambda = entry.GetProperty("lambda").GetDouble();
        Eta = entry.GetProperty("eta").GetDouble();
        using var zip = ZipFile.OpenRead(Repo.Fixture("hebbff", name + ".npz"));
        foreach (var file in zip.Entries)
        {
            using var stream = file.Open();
            arrays[Path.GetFileNameWithoutExtension(file.Name)] = Npy.ReadFloat64(stream, $"{name}.npz/{file.Name}");
        }
    }

    public HebbffLayout Layout => new(InputDim, Hidden);

    public double[] this[string key] => arrays[key].Data;

    /// <summary>The packed vector of a parameter group: prefix "param", "grad" or "adam1".</summary>
    public double[] Packed(string prefix)
    {
        var names = new[] { "w1", "b1", "w2", "b2", "_lam", "_eta" };
        var packed = names.SelectMany(n => this[$"{prefix}_{n}"]).ToArray();
        Assert.Equal(Layout.Count, packed.Length);
        return packed;
    }

    public HebbffConfig Config(NumericPrecision precision) => new()
    {
        Instances = 1, InputDim = InputDim, Hidden = Hidden, Length = Length, RepeatInterval = RepeatInterval,
        Plasticity = Plasticity, Precision = precision,
    };

    /// <summary>A trainer holding this case's sequence (as both training and test sequence) and parameters.</summary>
    public HebbffTrainer Trainer(NumericPrecision precision, ComputeContext? context = null)
    {
        var trainer = new HebbffTrainer(Config(precision), context);
        trainer.SetSequences(AnnScope.Tasks.SequenceRole.Train, this["x"], this["y"]);
        trainer.SetSequences(AnnScope.Tasks.SequenceRole.Test, this["x"], this["y"]);
        var zeros = new double[Layout.Count];
        trainer.ImportState(new HebbffState(1, Layout, 0, Packed("param"), zeros, (double[])zeros.Clone()));
        return trainer;
    }
}

/// <summary>Error measures of the HebbFF tests.</summary>
public static class Compare
{
    /// <summary>max |actual − expected| / max |expected| over a range (scale-relative: a few tiny entries do not dominate).</summary>
    public static double Relative(ReadOnlySpan<double> expected, ReadOnlySpan<double> actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        double scale = 0, worst = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            scale = Math.Max(scale, Math.Abs(expected[i]));
            worst = Math.Max(worst, Math.Abs(actual[i] - expected[i]));
        }
        return scale == 0 ? worst : worst / scale;
    }

    /// <summary>The scale-relative error of each parameter group (W1, b1, W2, b2, λ, η) — the worst of them, with its name.</summary>
    public static (double Error, string Group) PerGroup(HebbffLayout layout, ReadOnlySpan<double> expected, ReadOnlySpan<double> actual)
    {
        var groups = new (string Name, int Start, int End)[]
        {
            ("W1", layout.W1, layout.B1), ("b1", layout.B1, layout.W2), ("W2", layout.W2, layout.B2), ("b2", layout.B2, layout.B2 + 1),
            ("lambda", layout.Lambda, layout.Lambda + 1), ("eta", layout.EtaParameter, layout.EtaParameter + 1),
        };
        (double, string) worst = (0, "");
        foreach (var (name, start, end) in groups)
        {
            double e = Relative(expected[start..end], actual[start..end]);
            if (e > worst.Item1) worst = (e, name);
        }
        return worst;
    }
}
