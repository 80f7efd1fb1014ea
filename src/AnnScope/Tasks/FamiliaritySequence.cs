namespace AnnScope.Tasks;

/// <summary>One familiarity sequence: items <see cref="X"/> (T, N) of ±1 and labels <see cref="Y"/> (T), 1 = familiar.</summary>
public sealed class FamiliaritySequence(float[] x, float[] y, int length, int inputDim)
{
    /// <summary>Items, row-major (T, N).</summary>
    public float[] X { get; } = x;

    /// <summary>Labels: 1 when the item was shown before (R steps back), 0 when novel.</summary>
    public float[] Y { get; } = y;

    /// <summary>T.</summary>
    public int Length { get; } = length;

    /// <summary>N.</summary>
    public int InputDim { get; } = inputDim;

    /// <summary>The item at step <paramref name="t"/>.</summary>
    public ReadOnlySpan<float> Item(int t) => X.AsSpan(t * InputDim, InputDim);

    /// <summary>The fraction of familiar steps.</summary>
    public double FamiliarFraction => Y.Count(v => v == 1) / (double)Length;
}
