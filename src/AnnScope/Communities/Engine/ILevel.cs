namespace AnnScope.Communities.Engine;

/// <summary>
/// One level of the Louvain hierarchy: a symmetric matrix over the level's nodes, read a row at a time. Implemented by
/// structs so that the sweep loop is specialised and inlined for each layout.
/// </summary>
internal interface ILevel
{
    /// <summary>Nodes at this level.</summary>
    int Count { get; }

    /// <summary>Upper bound on the stored entries (sizes the next level).</summary>
    long Entries { get; }

    /// <summary>Adds row <paramref name="node"/> of B into <paramref name="sums"/> by community; returns B(node, node).</summary>
    double Gather(int node, int[] community, ref CommunitySums sums);

    /// <summary>B(node, node).</summary>
    double SelfWeight(int node);
}
