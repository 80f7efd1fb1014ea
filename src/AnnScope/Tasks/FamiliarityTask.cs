namespace AnnScope.Tasks;

/// <summary>
/// The continual familiarity task (science.md §1): a stream of random ±1 items of dimension
/// <see cref="InputDim"/>; at step t ≥ R, with probability P, the item of step t − R is shown again and
/// labelled familiar (1) — only if that item was itself novel, unless <see cref="MultiRep"/> — otherwise a
/// fresh item is shown and labelled novel (0). The familiar fraction tends to P/(1+P) without multiRep.
/// </summary>
public sealed record FamiliarityTask
{
    /// <summary>N, the item dimension.</summary>
    public int InputDim { get; init; } = 100;

    /// <summary>R, steps between an item and its repeat.</summary>
    public int RepeatInterval { get; init; } = 5;

    /// <summary>P, the probability of showing the item from R steps back.</summary>
    public double RepeatProbability { get; init; } = 0.5;

    /// <summary>T, steps per sequence.</summary>
    public int Length { get; init; } = 2500;

    /// <summary>Allow repeats of repeats (the "item at t − R was novel" condition is dropped).</summary>
    public bool MultiRep { get; init; }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first bad setting.</summary>
    public void Validate()
    {
        if (InputDim <= 0) throw new ArgumentException($"the input dimension N must be positive, got {InputDim}");
        if (Length <= 0) throw new ArgumentException($"the sequence length T must be positive, got {Length}");
        if (RepeatInterval <= 0) throw new ArgumentException($"the repeat interval R must be positive, got {RepeatInterval}");
        if (RepeatInterval >= Length)
            throw new ArgumentException($"the repeat interval R ({RepeatInterval}) must be smaller than the sequence length T ({Length})");
        if (!(RepeatProbability >= 0 && RepeatProbability <= 1))
            throw new ArgumentException($"the repeat probability P must be in [0, 1], got {RepeatProbability}");
        if ((long)InputDim * Length > Array.MaxLength)
            throw new ArgumentException($"a sequence of {Length} items of dimension {InputDim} is too large");
    }

    /// <summary>The sequence of instance <paramref name="instance"/> in <paramref name="role"/>, a pure function of its arguments.</summary>
    public FamiliaritySequence Generate(ulong seed, int instance, SequenceRole role)
    {
        Validate();
        var x = new float[(long)Length * InputDim];
        var y = new float[Length];
        Fill(seed, instance, role, x, y);
        return new FamiliaritySequence(x, y, Length, InputDim);
    }

    /// <summary>Writes the sequence into caller-owned spans: x (T, N) and y (T).</summary>
    public void Fill(ulong seed, int instance, SequenceRole role, Span<float> x, Span<float> y)
    {
        Validate();
        ArgumentOutOfRangeException.ThrowIfNegative(instance);
        if (x.Length != (long)Length * InputDim || y.Length != Length)
            throw new ArgumentException($"a sequence needs x of {(long)Length * InputDim} values and y of {Length}, got {x.Length} and {y.Length}");
        var draws = CounterRandom.For(seed, (ulong)instance, (ulong)role, 0);
        var items = CounterRandom.For(seed, (ulong)instance, (ulong)role, 1);
        int words = (InputDim + 63) / 64;
        for (int t = 0; t < Length; t++)
        {
            double u = draws.Uniform((ulong)t);
            var row = x.Slice(t * InputDim, InputDim);
            if (t >= RepeatInterval && u < RepeatProbability && (MultiRep || y[t - RepeatInterval] == 0))
            {
                x.Slice((t - RepeatInterval) * InputDim, InputDim).CopyTo(row);
                y[t] = 1;
                continue;
            }
            y[t] = 0;
            for (int w = 0; w < words; w++)
            {
                ulong bits = items.Bits((ulong)t * (ulong)words + (ulong)w);
                int end = Math.Min(64, InputDim - 64 * w);
                for (int b = 0; b < end; b++) row[64 * w + b] = ((bits >> b) & 1) != 0 ? 1f : -1f;
            }
        }
    }
}
