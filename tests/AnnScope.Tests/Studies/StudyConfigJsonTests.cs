using System.Text.Json.Nodes;
using AnnScope.Communities;
using AnnScope.Models;
using AnnScope.Studies;

namespace AnnScope.Tests.Studies;

/// <summary>
/// The study config file is a contract: typed options and HebbffConfig's property names inside, the same snake_case
/// fields and string values outside, so config files written before the typed options load unchanged.
/// </summary>
public class StudyConfigJsonTests
{
    // `annscope study --preset paper --print-config` as printed before the options were typed (string-valued record);
    // mediation_bootstrap is the paper preset's since the claims work (200), the fields added since follow it
    private const string PaperAsPrintedBefore = """
        {
          "preset": "paper",
          "seed": 1,
          "instances": 120,
          "input_dim": 100,
          "repeat": 5,
          "p": 0.5,
          "length": 2500,
          "multi_rep": false,
          "hidden": 120,
          "plasticity": "anti",
          "epochs": 1000,
          "every": 10,
          "windows": 50,
          "gamma_pos": 1.02,
          "gamma_neg": 1,
          "omega": 1,
          "runs": 1,
          "method": "move",
          "iterated": false,
          "static_runs": 1,
          "accuracy_measure": "paper_accuracy",
          "paper_correlation_mask": true,
          "correlation_window": 10,
          "mediation_bootstrap": 200
        }
        """;

    /// <summary>Every field of <paramref name="before"/> printed again, with the same value (later fields may follow).</summary>
    private static void AssertPrintsAsBefore(string before, string now)
    {
        var fresh = JsonNode.Parse(now)!.AsObject();
        foreach (var (field, value) in JsonNode.Parse(before)!.AsObject())
            Assert.True(JsonNode.DeepEquals(value, fresh[field]), $"{field}: {value?.ToJsonString()} became {fresh[field]?.ToJsonString()}");
    }

    [Fact]
    public void ThePresetsPrintAsBefore() => AssertPrintsAsBefore(PaperAsPrintedBefore, StudyPresets.Paper.ToJson());

    [Fact]
    public void AConfigFileWrittenBeforeTheTypedOptionsLoadsIntoTheSharedVocabulary()
    {
        var json = PaperAsPrintedBefore.Replace("\"repeat\": 5", "\"repeat\": 3").Replace("\"p\": 0.5", "\"p\": 0.25")
            .Replace("\"every\": 10", "\"every\": 20").Replace("\"anti\"", "\"free\"").Replace("\"move\"", "\"moverandw\"")
            .Replace("\"paper_accuracy\"", "\"balanced_accuracy\"").Replace("\"gamma_neg\": 1", "\"gamma_neg\": 0.5");
        var config = StudyPresets.Quick.Override(json, "old.json");
        Assert.Equal(3, config.RepeatInterval);
        Assert.Equal(0.25, config.RepeatProbability);
        Assert.Equal(20, config.CheckpointEvery);
        Assert.Equal(Plasticity.Free, config.Plasticity);
        Assert.Equal(MoveRule.MoveRandW, config.MoveRule);
        Assert.Equal(AccuracyMeasure.BalancedAccuracy, config.AccuracyMeasure);
        Assert.Equal(0.5, config.GammaNegative);
        AssertPrintsAsBefore(json, config.ToJson());
    }

    [Theory]
    [InlineData("plasticity", "anti"), InlineData("plasticity", "hebb"), InlineData("plasticity", "free"), InlineData("plasticity", "none")]
    [InlineData("method", "move"), InlineData("method", "moverand"), InlineData("method", "moverandw")]
    [InlineData("accuracy_measure", "paper_accuracy"), InlineData("accuracy_measure", "accuracy"), InlineData("accuracy_measure", "balanced_accuracy")]
    [InlineData("mediation_random", "corr"), InlineData("mediation_random", "uncorr"), InlineData("mediation_random", "intercept")]
    public void EverySpellingRoundTrips(string field, string value)
    {
        var config = StudyPresets.Quick.Override($$"""{"{{field}}": "{{value}}"}""", "c.json");
        Assert.Equal(value, JsonNode.Parse(config.ToJson())![field]!.GetValue<string>());
    }

    [Theory]
    [InlineData("""{"plasticity": "oja"}""", "plasticity must be one of anti, hebb, free, none (got 'oja')")]
    [InlineData("""{"method": "louvain"}""", "method must be one of move, moverand, moverandw (got 'louvain')")]
    [InlineData("""{"method": 0}""", "method must be one of move, moverand, moverandw (got number)")]
    [InlineData("""{"accuracy_measure": null}""", "accuracy_measure must be one of paper_accuracy, accuracy, balanced_accuracy (got null)")]
    public void ABadOptionIsRefusedNamingTheFieldAndTheChoices(string json, string expected)
    {
        var e = Assert.Throws<InvalidDataException>(() => StudyPresets.Quick.Override(json, "c.json"));
        Assert.Equal($"c.json: {expected}", e.Message);
    }

    [Fact]
    public void TheCommandLineAndTheConfigShareOneSpellingPerOption()
    {
        Assert.Equal(["signed-split", "pos", "sym", "asym"], OptionNames.All<LayerNullModel>());
        Assert.Equal(LayerNullModel.NegativeAsymmetric, OptionNames.Parse<LayerNullModel>("asym", "--null"));
        Assert.Equal("moverand", OptionNames.Name(MoveRule.MoveRand));
        Assert.Equal("paper_accuracy", OptionNames.Name(AccuracyMeasure.PaperAccuracy));
        var e = Assert.Throws<ArgumentException>(() => OptionNames.Parse<Plasticity>("oja", "--plasticity"));
        Assert.Equal("--plasticity must be one of anti, hebb, free, none (got 'oja')", e.Message);
    }
}
