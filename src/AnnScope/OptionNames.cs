using System.Collections.Frozen;
using System.Reflection;
using System.Text.Json.Serialization;

namespace AnnScope;

/// <summary>
/// The one spelling of every typed option in config files and on the command line ("anti", "moverand",
/// "signed-split", "paper_accuracy"): the <see cref="JsonStringEnumMemberNameAttribute"/> on each enum member, or
/// the member's name in lower case when it has none.
/// </summary>
public static class OptionNames
{
    /// <summary>The spelling of <paramref name="value"/>.</summary>
    /// <exception cref="ArgumentException">The value is not a member of <typeparamref name="T"/>.</exception>
    public static string Name<T>(T value) where T : struct, Enum =>
        Spellings<T>.ByValue.TryGetValue(value, out var name) ? name : throw new ArgumentException($"{value} is not a {typeof(T).Name}");

    /// <summary>Every spelling of <typeparamref name="T"/>, in declaration order.</summary>
    public static IReadOnlyList<string> All<T>() where T : struct, Enum => Spellings<T>.Names;

    /// <summary>The option spelled <paramref name="name"/> (case-insensitive); false when it names none.</summary>
    public static bool TryParse<T>(string? name, out T value) where T : struct, Enum =>
        Spellings<T>.ByName.TryGetValue(name ?? "", out value);

    /// <summary>The option spelled <paramref name="name"/>.</summary>
    /// <param name="name">The spelling to parse.</param>
    /// <param name="what">The field or option the spelling came from, for the error ("plasticity").</param>
    /// <exception cref="ArgumentException">"<paramref name="what"/> must be one of …, got '…'".</exception>
    public static T Parse<T>(string? name, string what) where T : struct, Enum =>
        TryParse(name, out T value) ? value : throw new ArgumentException(Refusal<T>(name, what));

    /// <summary>The one-line refusal of a spelling that names no option.</summary>
    internal static string Refusal<T>(string? name, string what) where T : struct, Enum =>
        $"{what} must be one of {string.Join(", ", All<T>())} (got '{name}')";

    private static class Spellings<T> where T : struct, Enum
    {
        public static readonly string[] Names;
        public static readonly FrozenDictionary<T, string> ByValue;
        public static readonly FrozenDictionary<string, T> ByName;

        static Spellings()
        {
            var fields = typeof(T).GetFields(BindingFlags.Public | BindingFlags.Static);
            Names = fields.Select(f => f.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name ?? f.Name.ToLowerInvariant()).ToArray();
            var values = fields.Select(f => (T)f.GetValue(null)!).ToArray();
            ByValue = values.Zip(Names).ToFrozenDictionary(p => p.First, p => p.Second);
            ByName = Names.Zip(values).ToFrozenDictionary(p => p.First, p => p.Second, StringComparer.OrdinalIgnoreCase);
        }
    }
}
