using System.Text.Json.Serialization;
using AnnScope.Communities;
using AnnScope.Models;
using AnnScope.Statistics;
using AnnScope.Statistics.Claims;

namespace AnnScope.Studies;

/// <summary>
/// The JSON contract of study configs (snake_case fields, one spelling per option, unknown fields refused), generated at
/// compile time: the annscope command is compiled ahead of time, where reflection-based serialization is not available.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    WriteIndented = true,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    Converters = [typeof(OptionJsonConverter<Plasticity>), typeof(OptionJsonConverter<MoveRule>),
        typeof(OptionJsonConverter<AccuracyMeasure>), typeof(OptionJsonConverter<RandomEffects>)])]
[JsonSerializable(typeof(StudyConfig))]
[JsonSerializable(typeof(ClaimRules))]
internal sealed partial class StudyConfigJson : JsonSerializerContext;
