using AnnScope.Dynamics;

namespace AnnScope.Communities;

/// <summary>
/// Consensus of a series of networks (science.md §5; used for allegiance snapshots and for clustering learning curves):
/// one signed Louvain partition per matrix, their co-assignment matrix C (the fraction of partitions putting u and v
/// together), then unsigned Newman–Girvan Louvain on C with γ = 1 (C's diagonal, always 1, is dropped: a node's
/// agreement with itself says nothing about the partition).
/// </summary>
public static class Consensus
{
    /// <summary>Co-assignment C (M × M, row-major, diagonal 1) of single-layer partitions of the same nodes.</summary>
    public static double[] CoAssignment(IEnumerable<int[]> partitions)
    {
        ArgumentNullException.ThrowIfNull(partitions);
        ModuleAllegiance? c = null;
        foreach (var p in partitions)
        {
            c ??= new ModuleAllegiance(p.Length);
            c.AddLayer(p);
        }
        return (c ?? throw new ArgumentException("a consensus needs at least one partition")).ToMatrix();
    }

    /// <summary>The Newman–Girvan (γ = 1) Louvain partition of a co-assignment matrix.</summary>
    public static LouvainRun Partition(ReadOnlySpan<double> coAssignment, int nodes, long seed, LouvainOptions? options = null)
    {
        ModularityMatrix.CheckShape(coAssignment.Length, nodes, "the co-assignment matrix");
        var c = coAssignment.ToArray();
        for (int i = 0; i < nodes; i++) c[i * nodes + i] = 0;
        return Louvain.Run(ModularityMatrix.NewmanGirvan(c, nodes), seed, options);
    }

    /// <summary>
    /// Consensus of a series of <paramref name="count"/> connectivity matrices shaped (count, M, M): matrix p is partitioned
    /// with seed <paramref name="seed"/> + p under <paramref name="objective"/>, the consensus with seed + count.
    /// </summary>
    public static ConsensusResult OfSeries(ReadOnlySpan<double> series, int count, int nodes, LayerObjective objective, long seed,
        LouvainOptions? options = null, int maxDegreeOfParallelism = -1)
    {
        if (count <= 0) throw new ArgumentException("a consensus needs at least one matrix");
        if (nodes <= 0) throw new ArgumentException("the matrices are empty: a graph needs at least one node");
        long size = (long)nodes * nodes;
        if (series.Length != size * count)
            throw new ArgumentException($"the series must be ({count}, {nodes}, {nodes}) = {size * count} values, got {series.Length}");
        var matrices = new ModularityMatrix[count];
        for (int p = 0; p < count; p++)
            matrices[p] = ModularityMatrix.FromConnectivity(series.Slice((int)(p * size), (int)size), nodes, objective);
        var partitions = new int[count][];
        Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism },
            p => partitions[p] = Louvain.Run(matrices[p], unchecked(seed + p), options).Labels);
        var c = CoAssignment(partitions);
        return new ConsensusResult(partitions, c, Partition(c, nodes, unchecked(seed + count), options));
    }
}

/// <summary>The partitions of a series, their co-assignment matrix and the consensus partition.</summary>
public sealed record ConsensusResult(int[][] Partitions, double[] CoAssignment, LouvainRun Consensus);
