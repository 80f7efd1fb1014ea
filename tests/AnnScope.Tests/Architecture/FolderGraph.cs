namespace AnnScope.Tests.Architecture;

/// <summary>
/// The layer rules of the README's "Layers" section as data: every folder (namespace AnnScope.X and everything under it)
/// has a rank; a folder may name folders of its own rank or below, and no folder may reach itself again through
/// the folders it names (no two folders name each other, directly or through others).
/// </summary>
internal static class FolderGraph
{
    public static readonly IReadOnlyDictionary<string, int> Rank = new Dictionary<string, int>(StringComparer.Ordinal)
    {
        ["AnnScope.Cli"] = 3,
        // the pipeline, the report, and the results model both read (the report never sees the pipeline)
        ["AnnScope.Studies"] = 2, ["AnnScope.Reports"] = 2, ["AnnScope.Results"] = 2,
        ["AnnScope.Statistics"] = 1, ["AnnScope.Dynamics"] = 1, ["AnnScope.Communities"] = 1, ["AnnScope.Connectivity"] = 1,
        ["AnnScope.Models"] = 1,
        ["AnnScope.Tasks"] = 0, ["AnnScope.IO"] = 0, ["AnnScope.Interop"] = 0,
    };

    /// <summary>Every broken rule of a dependency graph (folder → folders it names), one line each.</summary>
    public static IReadOnlyList<string> Violations(IReadOnlyDictionary<string, IReadOnlySet<string>> edges)
    {
        var problems = new List<string>();
        var folders = edges.Keys.Union(edges.Values.SelectMany(v => v)).Order(StringComparer.Ordinal).ToList();
        foreach (var f in folders.Where(f => !Rank.ContainsKey(f)))
            problems.Add($"{f} has no layer: give it a rank in {nameof(FolderGraph)}.{nameof(Rank)} and the README");
        foreach (var (from, targets) in edges)
            foreach (var to in targets.Order(StringComparer.Ordinal))
                if (Rank.TryGetValue(from, out int a) && Rank.TryGetValue(to, out int b) && b > a)
                    problems.Add($"{from} names {to}, a layer above it");
        var reach = folders.ToDictionary(f => f, f => Reachable(edges, f));
        for (int i = 0; i < folders.Count; i++)
            for (int j = i + 1; j < folders.Count; j++)
                if (reach[folders[i]].Contains(folders[j]) && reach[folders[j]].Contains(folders[i]))
                    problems.Add($"{folders[i]} and {folders[j]} name each other (a namespace cycle)");
        return problems;
    }

    private static HashSet<string> Reachable(IReadOnlyDictionary<string, IReadOnlySet<string>> edges, string start)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var stack = new Stack<string>([start]);
        while (stack.Count > 0)
            foreach (var next in edges.GetValueOrDefault(stack.Pop()) ?? new HashSet<string>())
                if (seen.Add(next)) stack.Push(next);
        return seen;
    }
}
