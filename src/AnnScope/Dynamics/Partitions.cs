namespace AnnScope.Dynamics;

/// <summary>Label bookkeeping shared by the optimiser, the evaluator and the measures.</summary>
public static class Partitions
{
    /// <summary>
    /// "Tidy" labels: communities renumbered 0, 1, … in order of first appearance (any integer labels in; the same
    /// partition always gives the same tidy labels). Returns the number of communities.
    /// </summary>
    public static int Tidy(ReadOnlySpan<int> labels, Span<int> tidy)
    {
        if (tidy.Length != labels.Length) throw new ArgumentException("the output must have one label per node");
        var map = new Dictionary<int, int>();
        for (int i = 0; i < labels.Length; i++)
        {
            if (!map.TryGetValue(labels[i], out int t))
            {
                t = map.Count;
                map.Add(labels[i], t);
            }
            tidy[i] = t;
        }
        return map.Count;
    }

    /// <summary>Tidy copy of <paramref name="labels"/>.</summary>
    public static int[] Tidy(ReadOnlySpan<int> labels)
    {
        var tidy = new int[labels.Length];
        Tidy(labels, tidy);
        return tidy;
    }

    /// <summary>Number of distinct labels.</summary>
    public static int CountCommunities(ReadOnlySpan<int> labels)
    {
        var seen = new HashSet<int>();
        foreach (var l in labels) seen.Add(l);
        return seen.Count;
    }

    /// <summary>Whether two label vectors describe the same partition (equal up to renaming).</summary>
    public static bool SamePartition(ReadOnlySpan<int> a, ReadOnlySpan<int> b)
    {
        if (a.Length != b.Length) return false;
        var forward = new Dictionary<int, int>();
        var backward = new Dictionary<int, int>();
        for (int i = 0; i < a.Length; i++)
        {
            if (!Consistent(forward, a[i], b[i]) || !Consistent(backward, b[i], a[i])) return false;
        }
        return true;
    }

    private static bool Consistent(Dictionary<int, int> map, int from, int to)
    {
        if (map.TryGetValue(from, out int mapped)) return mapped == to;
        map.Add(from, to);
        return true;
    }
}
