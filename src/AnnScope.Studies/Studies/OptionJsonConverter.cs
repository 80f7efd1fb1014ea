using System.Text.Json;
using System.Text.Json.Serialization;

namespace AnnScope.Studies;

/// <summary>Reads and writes a typed option as its one spelling (<see cref="OptionNames"/>), refusing anything else.</summary>
internal sealed class OptionJsonConverter<T> : JsonConverter<T> where T : struct, Enum
{
    public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        string? name = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
        return OptionNames.TryParse(name, out T value)
            ? value
            : throw new OptionJsonException($"must be one of {string.Join(", ", OptionNames.All<T>())} (got {(name == null ? reader.TokenType.ToString().ToLowerInvariant() : $"'{name}'")})");
    }

    public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) =>
        writer.WriteStringValue(OptionNames.Name(value));
}

/// <summary>A config value that names no option; the serializer adds the field's path.</summary>
internal sealed class OptionJsonException(string message) : JsonException(message);
