using System.Globalization;

namespace AnnScope.Results;

/// <summary>
/// Shard <see cref="Index"/> of <see cref="Count"/> (1-based, as in `--shard 2/3`): a contiguous range of a study's
/// instances. Shard i of N holds instances [⌊(i−1)·n/N⌋, ⌊i·n/N⌋), so N shards cover 0…n−1 exactly once, in order.
/// </summary>
public readonly record struct StudyShard(int Index, int Count)
{
    /// <summary>Parses "I/N" with 1 ≤ I ≤ N; anything else is an <see cref="ArgumentException"/> naming the text.</summary>
    public static StudyShard Parse(string text)
    {
        var parts = text.Split('/');
        if (parts.Length != 2
            || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int index)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int count))
            throw new ArgumentException($"--shard '{text}': expected I/N, e.g. 2/3 for the second of three shards");
        if (count < 1 || index < 1 || index > count)
            throw new ArgumentException($"--shard '{text}': I must be between 1 and N (shards are numbered from 1)");
        return new StudyShard(index, count);
    }

    /// <summary>The first instance of this shard in a study of <paramref name="instances"/>.</summary>
    public int Start(int instances) => (int)((long)(Index - 1) * instances / Count);

    /// <summary>One past the last instance of this shard in a study of <paramref name="instances"/>.</summary>
    public int End(int instances) => (int)((long)Index * instances / Count);

    /// <summary>Throws when a study of <paramref name="instances"/> cannot give every one of the N shards an instance.</summary>
    public void Validate(int instances)
    {
        if (Count > instances)
            throw new ArgumentException($"--shard {this}: {Count} shards of {instances} instances would leave shards empty (use at most {instances})");
    }

    /// <summary>"I/N".</summary>
    public override string ToString() => $"{Index}/{Count}";
}
