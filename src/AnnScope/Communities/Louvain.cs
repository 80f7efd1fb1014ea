using AnnScope.Communities.Engine;
using AnnScope.Dynamics;

namespace AnnScope.Communities;

/// <summary>
/// Louvain community detection on a general modularity matrix with GenLouvain's semantics (science.md §5): seeded random
/// node order, candidates = own community ∪ communities of nodes with B_ij &gt; 0, gain threshold 1e-10, move rules
/// <c>move</c>/<c>moverand</c>/<c>moverandw</c>, aggregation passes, an optional initial partition, tidy labels, and an
/// iterated mode (with ordinal post-processing for multilayer problems). A run depends only on its seed.
/// </summary>
public static class Louvain
{
    private const double MatlabEps = 2.220446049250313e-16;

    /// <summary>One seeded run on a single-layer (or caller-supplied) modularity matrix.</summary>
    public static LouvainRun Run(ModularityMatrix b, long seed, LouvainOptions? options = null, ReadOnlySpan<int> initial = default)
    {
        ArgumentNullException.ThrowIfNull(b);
        var level = new OrdinalLevel(b.Values, 1, b.Nodes, 0.0);
        return Execute(ref level, b.Normaliser, seed, options ?? LouvainOptions.Paper, initial, postprocess: null);
    }

    /// <summary>
    /// One seeded run on an ordinal multilayer problem; labels[s·M + i] is the community of node i in layer s.
    /// </summary>
    public static LouvainRun Run(MultilayerModularity b, long seed, LouvainOptions? options = null, ReadOnlySpan<int> initial = default)
    {
        ArgumentNullException.ThrowIfNull(b);
        var level = new OrdinalLevel(b.Blocks, b.Layers, b.Nodes, b.Omega);
        int layers = b.Layers, nodes = b.Nodes;
        var opts = options ?? LouvainOptions.Paper;
        Action<int[]>? postprocess = opts.OrdinalPostprocessing && layers > 1
            ? labels => OrdinalPostprocessing.Apply(labels, layers, nodes)
            : null;
        return Execute(ref level, b.TwoMu, seed, opts, initial, postprocess);
    }

    /// <summary>
    /// <paramref name="count"/> independent runs with seeds <paramref name="seed"/> + r, in parallel; the result for a
    /// seed does not depend on the number of threads.
    /// </summary>
    public static LouvainRun[] Runs(ModularityMatrix b, int count, long seed, LouvainOptions? options = null, int maxDegreeOfParallelism = -1) =>
        Repeat(count, seed, maxDegreeOfParallelism, s => Run(b, s, options));

    /// <inheritdoc cref="Runs(ModularityMatrix, int, long, LouvainOptions?, int)"/>
    public static LouvainRun[] Runs(MultilayerModularity b, int count, long seed, LouvainOptions? options = null, int maxDegreeOfParallelism = -1) =>
        Repeat(count, seed, maxDegreeOfParallelism, s => Run(b, s, options));

    private static LouvainRun[] Repeat(int count, long seed, int maxDegreeOfParallelism, Func<long, LouvainRun> run)
    {
        if (count < 1) throw new ArgumentException($"the number of runs must be >= 1, got {count}");
        if (maxDegreeOfParallelism == 0 || maxDegreeOfParallelism < -1)
            throw new ArgumentException($"maxDegreeOfParallelism must be -1 (all cores) or >= 1, got {maxDegreeOfParallelism}");
        var runs = new LouvainRun[count];
        Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism },
            r => runs[r] = run(unchecked(seed + r)));
        return runs;
    }

    private static LouvainRun Execute<T>(ref T level, double normaliser, long seed, LouvainOptions options,
        ReadOnlySpan<int> initial, Action<int[]>? postprocess) where T : struct, ILevel
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        int n = level.Count;
        var labels = new int[n];
        if (initial.IsEmpty) for (int v = 0; v < n; v++) labels[v] = v;
        else if (initial.Length != n) throw new ArgumentException($"the initial partition has {initial.Length} labels for {n} nodes");
        else Partitions.Tidy(initial, labels);

        var engine = new LouvainEngine(n, options.Rule, seed);
        double quality = engine.Optimise(ref level, labels, options.EnsureLocalOptimum);
        int iterations = 1;
        if (options.Iterated)
        {
            var previous = new int[n];
            while (iterations < options.MaxIterations)
            {
                labels.CopyTo(previous, 0);
                double previousQuality = quality;
                if (postprocess != null)
                {
                    postprocess(labels);
                    Partitions.Tidy(labels, labels);
                }
                quality = engine.Optimise(ref level, labels, options.EnsureLocalOptimum);
                iterations++;
                // GenLouvain's stopping rule: the partition repeats, or Q stops improving beyond rounding
                if (labels.AsSpan().SequenceEqual(previous) ||
                    !(quality - previousQuality > 10 * MatlabEps * Math.Max(1.0, Math.Abs(previousQuality))))
                    break;
            }
        }
        int communities = 0;
        foreach (var l in labels) communities = Math.Max(communities, l + 1);
        return new LouvainRun(seed, labels, normaliser > 0 ? quality / normaliser : 0.0, quality, communities, iterations);
    }
}
