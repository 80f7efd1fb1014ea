using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace AnnScope.Communities.Engine;

/// <summary>
/// GenLouvain's algorithm on a general modularity matrix (science.md §5). Phase 1 visits the nodes of a level in a fresh
/// random order each sweep and moves a node to a candidate community — its own, or one holding a node j with
/// B_vj &gt; 0 — by the move rule, when the gain Σ_{j∈g} B_vj − Σ_{j∈own∖v} B_vj exceeds 1e-10; sweeps repeat until
/// none moves. Phase 2 aggregates the communities (PᵀBP) and repeats until a level merges nothing.
/// </summary>
internal sealed class LouvainEngine
{
    /// <summary>GenLouvain's NUM_TOL: smaller gains are rounding.</summary>
    public const double GainThreshold = 1e-10;

    private const double MatlabEps = 2.220446049250313e-16;
    private const int MaxSweeps = 100_000;

    /// <summary>How many visits ahead a level is told which node comes (enough to hide a trip to memory).</summary>
    private const int PrefetchDistance = 4;
    private const int MaxLocalOptimumRestarts = 1_000;

    private readonly LouvainWorkspace ws;
    private readonly MoveRule rule;
    private SeededRandom rng;
    private double totalGain;

    public LouvainEngine(int nodes, MoveRule rule, long seed)
    {
        ws = LouvainWorkspace.ForThread(nodes);
        this.rule = rule;
        rng = new SeededRandom(seed);
    }

    /// <summary>
    /// One GenLouvain run from the partition in <paramref name="labels"/> (ids in [0, n)), then, when asked, single-node
    /// polishing until no move — including into an empty community — gains more than 1e-10 (rerunning Louvain from
    /// the polished partition each time). Leaves tidy labels; returns the raw quality Σ B δ.
    /// </summary>
    public double Optimise<T>(ref T level0, int[] labels, bool ensureLocalOptimum) where T : struct, ILevel
    {
        double quality = Run(ref level0, labels, level0Converged: false, out _);
        if (!ensureLocalOptimum) return quality;
        for (int restart = 0; restart < MaxLocalOptimumRestarts; restart++)
        {
            if (!Sweeps(ref level0, labels, allowIsolation: true)) break;
            Tidy(labels, level0.Count);
            // the polish ended on a sweep without moves, so level 0 of the rerun cannot move anything either: skip it;
            // and if the higher levels then merge nothing, the polished partition stands and is locally optimal
            quality = Run(ref level0, labels, level0Converged: true, out bool merged);
            if (!merged) break;
        }
        return quality;
    }

    /// <summary>
    /// One multi-level GenLouvain run from <paramref name="labels"/>; leaves tidy labels, returns Σ B δ.
    /// <paramref name="merged"/> tells whether any level above 0 merged communities.
    /// </summary>
    private double Run<T>(ref T level0, int[] labels, bool level0Converged, out bool merged) where T : struct, ILevel
    {
        int n = level0.Count;
        merged = false;
        if (!level0Converged) Sweeps(ref level0, labels, allowIsolation: false);
        int t = Tidy(labels, n);
        if (t == n) return Trace(ref level0);
        var level = level0.Aggregate(labels, t, ws);
        var community = ws.LevelCommunity;
        while (true)
        {
            int count = level.Count;
            for (int g = 0; g < count; g++) community[g] = g;
            Sweeps(ref level, community, allowIsolation: false);
            int next = Tidy(community, count);
            if (next == count)
            {
                Tidy(labels, n);
                return Trace(ref level);
            }
            merged = true;
            for (int v = 0; v < n; v++) labels[v] = community[labels[v]];
            level = level.Aggregate(community, next, ws);
        }
    }

    /// <summary>Phase 1 on one level: sweeps in random order until no node moves. Returns whether any moved.</summary>
    private bool Sweeps<T>(ref T level, int[] community, bool allowIsolation) where T : struct, ILevel
    {
        int count = level.Count;
        level.Prepare(community);
        var order = ws.Order.AsSpan(0, count);
        var size = ws.Size;
        Array.Clear(size, 0, count);
        for (int v = 0; v < count; v++)
        {
            order[v] = v;
            size[community[v]]++;
        }
        int free = 0;
        if (allowIsolation)
            for (int g = count - 1; g >= 0; g--)
                if (size[g] == 0) ws.Free[free++] = g;

        // A node that stays and whose best gain cannot have reached the threshold since (its level bounds what its
        // neighbours' moves add, see ILevel.Room) would stay again, drawing no random number, so its visit is skipped:
        // the same moves in the same order. While isolating, whether a node may leave for an empty community depends on
        // every community's size, so a node that would have left had it been allowed to is visited again.
        var room = ws.Room.AsSpan(0, count);
        room.Clear();
        bool moved = false;
        for (int sweep = 0; sweep < MaxSweeps; sweep++)
        {
            rng.Shuffle(order);
            level.BeginSweep(community);
            int moves = 0;
            double step = 0;
            for (int visit = 0; visit < order.Length; visit++)
            {
                int v = order[visit];
                if (room[v] > 0) continue;
                // a node to be skipped is not worth a prefetch (its room only shrinks, so at worst one is missed)
                if (visit + PrefetchDistance < order.Length)
                {
                    int ahead = order[visit + PrefetchDistance];
                    if (room[ahead] <= 0) level.Prefetch(ahead);
                }
                var candidates = level.Candidates(v, community, ws);
                int own = community[v];
                double stay = candidates.OwnSum - candidates.Self;
                bool canIsolate = allowIsolation && size[own] > 1 && free > 0;
                int target = Choose(ref candidates, own, stay, canIsolate, out double gain, out double bestGain);
                if (target == own)
                {
                    if (double.IsNaN(bestGain)) bestGain = LargestValidGain(ref candidates, stay);
                    room[v] = level.Room(v, bestGain, stay, allowIsolation && !canIsolate && -stay > GainThreshold);
                    continue;
                }
                if (target < 0) target = ws.Free[--free];
                community[v] = target;
                level.Moved(v, own, target, community, ws.Room);
                if (--size[own] == 0 && allowIsolation) ws.Free[free++] = own;
                size[target]++;
                moves++;
                step += gain;
            }
            totalGain += step;
            if (moves == 0) break;
            moved = true;
            // GenLouvain's guards against rounding-driven oscillation
            if (step <= 10 * MatlabEps || step <= 2 * MatlabEps * totalGain) break;
        }
        return moved;
    }

    /// <summary>
    /// The move rule over the candidate list: returns the target community, <paramref name="own"/> to stay, or −1 for an
    /// empty community. A candidate is a community other than the node's own holding a j with B_vj &gt; 0.
    /// <paramref name="bestGain"/> is the largest gain over the candidates when the rule needed it, else NaN.
    /// </summary>
    private int Choose(ref CandidateList list, int own, double stay, bool canIsolate, out double gain, out double bestGain)
    {
        if (rule == MoveRule.Move)
        {
            // the best gain with ties to the lowest id, as GenLouvain's ordered group set gives it, does not depend on
            // the order the candidates are scanned in: first the largest valid gain, then the lowest id reaching it
            bestGain = LargestValidGain(ref list, stay);
            int best = own;
            double chosen = bestGain;
            if (chosen > 0) best = LowestIdWithGain(ref list, stay, chosen);
            else chosen = 0;
            if (canIsolate && -stay > chosen)
            {
                best = -1;
                chosen = -stay;
            }
            gain = chosen;
            return chosen > GainThreshold ? best : own;
        }

        // the random rules pick by position, so they read the list as GenLouvain lists it: corrections in place
        Materialise(ref list);
        bestGain = double.NaN;
        var community = ws.CandidateCommunity;
        var sum = ws.CandidateSum;
        var positive = ws.CandidatePositive;
        var ids = ws.Candidates;
        var gains = ws.Gains;
        int n = 0;
        double total = 0;
        for (int k = 0; k < list.Count; k++)
        {
            if (k == list.OwnIndex || positive[k] == 0) continue;
            double d = sum[k] - stay;
            if (d > GainThreshold)
            {
                ids[n] = community[k];
                gains[n++] = d;
                total += d;
            }
        }
        if (canIsolate && -stay > GainThreshold)
        {
            ids[n] = -1;
            gains[n++] = -stay;
            total += -stay;
        }
        gain = 0;
        if (n == 0) return own;
        int pick;
        if (rule == MoveRule.MoveRand) pick = rng.NextInt(n);
        else
        {
            double r = rng.NextDouble() * total, cumulative = 0;
            pick = n - 1;
            for (int k = 0; k < n; k++)
            {
                cumulative += gains[k];
                if (r < cumulative)
                {
                    pick = k;
                    break;
                }
            }
        }
        gain = gains[pick];
        return ids[pick];
    }

    /// <summary>Rewrites the list into the workspace's arrays with its corrections applied and a mask for every entry.</summary>
    private void Materialise(ref CandidateList list)
    {
        var community = ws.CandidateCommunity;
        var sum = ws.CandidateSum;
        var positive = ws.CandidatePositive;
        int count = list.Count;
        if (!Unsafe.AreSame(ref list.Sum, ref MemoryMarshal.GetArrayDataReference(sum)))
        {
            MemoryMarshal.CreateReadOnlySpan(ref list.Sum, count).CopyTo(sum);
            MemoryMarshal.CreateReadOnlySpan(ref list.Community, count).CopyTo(community);
            if (list.AllPositive) positive.AsSpan(0, count).Fill(-1);
            else MemoryMarshal.CreateReadOnlySpan(ref list.Positive, count).CopyTo(positive);
        }
        for (int c = 0; c < list.Corrections; c++)
        {
            int index = c == 0 ? list.Index0 : list.Index1;
            if (index < 0)
            {
                index = count++;
                community[index] = c == 0 ? list.Community0 : list.Community1;
            }
            sum[index] = c == 0 ? list.Sum0 : list.Sum1;
            positive[index] = -1;
        }
        list = new CandidateList(ref MemoryMarshal.GetArrayDataReference(sum), ref MemoryMarshal.GetArrayDataReference(community),
            ref MemoryMarshal.GetArrayDataReference(positive), count, list.OwnIndex, list.Self);
    }

    /// <summary>
    /// max over the candidates other than the own community with a positive entry of Σ_{j∈g} B_vj − <paramref name="stay"/>;
    /// −∞ when there is none. Non-candidates get −∞ without a branch (whether B_vj &gt; 0 somewhere in g is a coin flip per
    /// community); the own community is excluded by reading −∞ in its place for the duration.
    /// </summary>
    private static double LargestValidGain(ref CandidateList list, double stay)
    {
        ref double own = ref Unsafe.Add(ref list.Sum, list.OwnIndex);
        double saved = own;
        own = double.NegativeInfinity;
        double best = list.AllPositive ? LargestGain(ref list.Sum, list.Count, stay) : LargestMaskedGain(ref list.Sum, ref list.Positive, list.Count, stay);
        own = saved;
        if (list.Corrections > 0 && list.Index0 != list.OwnIndex) best = Math.Max(best, list.Sum0 - stay);
        if (list.Corrections > 1 && list.Index1 != list.OwnIndex) best = Math.Max(best, list.Sum1 - stay);
        return best;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double LargestGain(ref double sum, int count, double stay)
    {
        int k = 0;
        double best = double.NegativeInfinity;
        if (Vector512.IsHardwareAccelerated && count >= Vector512<double>.Count)
        {
            var stayV = Vector512.Create(stay);
            var bestV = Vector512.Create(double.NegativeInfinity);
            for (; k + Vector512<double>.Count <= count; k += Vector512<double>.Count)
                bestV = Vector512.Max(bestV, Vector512.LoadUnsafe(ref sum, (nuint)k) - stayV);
            best = Math.Max(Max(bestV.GetLower()), Max(bestV.GetUpper()));
        }
        else if (Vector256.IsHardwareAccelerated && count >= Vector256<double>.Count)
        {
            var stayV = Vector256.Create(stay);
            var bestV = Vector256.Create(double.NegativeInfinity);
            for (; k + Vector256<double>.Count <= count; k += Vector256<double>.Count)
                bestV = Vector256.Max(bestV, Vector256.LoadUnsafe(ref sum, (nuint)k) - stayV);
            best = Max(bestV);
        }
        for (; k < count; k++) best = Math.Max(best, Unsafe.Add(ref sum, k) - stay);
        return best;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double LargestMaskedGain(ref double sum, ref long valid, int count, double stay)
    {
        int k = 0;
        double best = double.NegativeInfinity;
        if (Vector256.IsHardwareAccelerated && count >= Vector256<double>.Count)
        {
            var stayV = Vector256.Create(stay);
            var minusInfinity = Vector256.Create(double.NegativeInfinity);
            var bestV = minusInfinity;
            for (; k + Vector256<double>.Count <= count; k += Vector256<double>.Count)
            {
                var d = Vector256.LoadUnsafe(ref sum, (nuint)k) - stayV;
                var mask = Vector256.LoadUnsafe(ref valid, (nuint)k).AsDouble();
                bestV = Vector256.Max(bestV, Vector256.ConditionalSelect(mask, d, minusInfinity));
            }
            best = Max(bestV);
        }
        for (; k < count; k++)
        {
            long mask = Unsafe.Add(ref valid, k);
            double d = BitConverter.Int64BitsToDouble(
                (BitConverter.DoubleToInt64Bits(Unsafe.Add(ref sum, k) - stay) & mask) | (NegativeInfinityBits & ~mask));
            best = Math.Max(best, d);
        }
        return best;
    }

    /// <summary>
    /// The lowest community id among the valid candidates other than the own community whose gain equals
    /// <paramref name="gain"/> (&gt; 0, so the own community, read as −∞, never matches). Four candidates at a time are
    /// compared in a vector and only the (usually single) matching lanes are looked at.
    /// </summary>
    private static int LowestIdWithGain(ref CandidateList list, double stay, double gain)
    {
        ref double own = ref Unsafe.Add(ref list.Sum, list.OwnIndex);
        double saved = own;
        own = double.NegativeInfinity;
        ref double sum = ref list.Sum;
        ref int community = ref list.Community;
        bool all = list.AllPositive;
        int count = list.Count;
        int best = int.MaxValue, k = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var stayV = Vector256.Create(stay);
            var gainV = Vector256.Create(gain);
            for (; k + Vector256<double>.Count <= count; k += Vector256<double>.Count)
            {
                var hit = Vector256.Equals(Vector256.LoadUnsafe(ref sum, (nuint)k) - stayV, gainV).AsInt64();
                if (!all) hit &= Vector256.LoadUnsafe(ref list.Positive, (nuint)k);
                for (uint lanes = hit.ExtractMostSignificantBits(); lanes != 0; lanes &= lanes - 1)
                    best = Math.Min(best, Unsafe.Add(ref community, k + BitOperations.TrailingZeroCount(lanes)));
            }
        }
        for (; k < count; k++)
            if ((all || Unsafe.Add(ref list.Positive, k) != 0) && Unsafe.Add(ref sum, k) - stay == gain)
                best = Math.Min(best, Unsafe.Add(ref community, k));
        own = saved;
        if (list.Corrections > 0 && list.Index0 != list.OwnIndex && list.Sum0 - stay == gain) best = Math.Min(best, list.Community0);
        if (list.Corrections > 1 && list.Index1 != list.OwnIndex && list.Sum1 - stay == gain) best = Math.Min(best, list.Community1);
        return best;
    }

    /// <summary>The largest lane (the lanes' order does not matter: max is exact).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double Max(Vector256<double> v) => Math.Max(Math.Max(v[0], v[1]), Math.Max(v[2], v[3]));

    private const long NegativeInfinityBits = unchecked((long)0xFFF0_0000_0000_0000UL);

    /// <summary>Renumbers communities 0, 1, … by first appearance over nodes 0..count−1; returns how many there are.</summary>
    private int Tidy(int[] community, int count)
    {
        var relabel = ws.Relabel;
        for (int v = 0; v < count; v++) relabel[community[v]] = -1;
        int next = 0;
        for (int v = 0; v < count; v++)
        {
            ref int r = ref relabel[community[v]];
            if (r < 0) r = next++;
            community[v] = r;
        }
        return next;
    }

    private static double Trace<T>(ref T level) where T : struct, ILevel
    {
        double q = 0;
        for (int v = 0; v < level.Count; v++) q += level.SelfWeight(v);
        return q;
    }
}
