namespace AnnScope.Connectivity;

/// <summary>The shape of a batch of activation series: (batch, samples, units), C order.</summary>
public readonly record struct SeriesShape(int Batch, int Samples, int Units)
{
    /// <summary>Number of values in the series.</summary>
    public long Length => (long)Batch * Samples * Units;

    /// <summary>Number of non-overlapping windows of <paramref name="window"/> samples.</summary>
    public int Windows(int window) => Samples / window;

    /// <summary>Number of values in the (batch, windows, units, units) output.</summary>
    public long MatricesLength(int window) => (long)Batch * Windows(window) * Units * Units;

    /// <summary>Throws a clear <see cref="ArgumentException"/> when the shape, window or spans do not fit.</summary>
    internal void Validate(long inputLength, long outputLength, int window)
    {
        if (Batch <= 0 || Samples <= 0 || Units <= 0)
            throw new ArgumentException($"activation shape {this} must have positive sizes");
        if (window < 2 || window > Samples)
            throw new ArgumentException($"window {window} must be between 2 and the number of samples ({Samples})");
        if (Samples % window != 0)
            throw new ArgumentException($"the number of samples ({Samples}) is not a multiple of the window ({window})");
        if (inputLength != Length)
            throw new ArgumentException($"activations hold {inputLength} values but shape {this} needs {Length}");
        if (outputLength != MatricesLength(window))
            throw new ArgumentException(
                $"output holds {outputLength} values but ({Batch}, {Windows(window)}, {Units}, {Units}) needs {MatricesLength(window)}");
    }
}
