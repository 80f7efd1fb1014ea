namespace AnnScope.Tasks;

/// <summary>
/// A counter-based random source: every value is a pure function of a key (derived from a seed and a path of
/// stream identifiers such as instance and role) and a counter, so a draw never depends on how many draws
/// came before it, on the order work is done in, or on the thread count. The mixing function is the
/// SplitMix64 finaliser applied to key + (counter + 1)·γ, γ the 64-bit golden-ratio increment.
/// </summary>
internal readonly struct CounterRandom
{
    private const ulong Gamma = 0x9E3779B97F4A7C15UL;
    private readonly ulong key;

    private CounterRandom(ulong key) => this.key = key;

    /// <summary>The source for <paramref name="seed"/> and a path of stream identifiers.</summary>
    public static CounterRandom For(ulong seed, params ReadOnlySpan<ulong> path)
    {
        ulong key = Mix(seed ^ 0x243F6A8885A308D3UL);
        foreach (var id in path) key = Mix(key + (id + 1) * Gamma);
        return new CounterRandom(key);
    }

    /// <summary>64 random bits for <paramref name="counter"/>.</summary>
    public ulong Bits(ulong counter) => Mix(key + (counter + 1) * Gamma);

    /// <summary>A uniform double in [0, 1) with 53 random bits.</summary>
    public double Uniform(ulong counter) => (Bits(counter) >> 11) * (1.0 / (1UL << 53));

    /// <summary>A standard normal draw (Box–Muller on the uniforms of counters 2c and 2c + 1).</summary>
    public double Normal(ulong counter)
    {
        double u1 = Uniform(2 * counter), u2 = Uniform(2 * counter + 1);
        return Math.Sqrt(-2.0 * Math.Log(1.0 - u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
