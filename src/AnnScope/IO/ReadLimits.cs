namespace AnnScope.IO;

/// <summary>
/// The one check every reader makes before it allocates for what a file declares: the declared size must fit the
/// bytes the file really has (done by each reader) and the memory this process may use, so a corrupt or hostile
/// header gives a one-line error instead of an out-of-memory crash.
/// </summary>
internal static class ReadLimits
{
    /// <summary>Bytes a single read may allocate: the memory available to the GC (container limits included).</summary>
    internal static long MemoryBytes => Math.Max(1L << 26, GC.GetGCMemoryInfo().TotalAvailableMemoryBytes);

    /// <summary>Throws <see cref="InvalidDataException"/> unless <paramref name="count"/> elements of <paramref name="itemSize"/> bytes fit one array and memory.</summary>
    internal static void CheckAllocation(string source, string what, long count, int itemSize)
    {
        if (count < 0 || count > Array.MaxLength)
            throw new InvalidDataException($"{source}: {what} declares {count} values, more than one array can hold ({Array.MaxLength})");
        if (count * itemSize > MemoryBytes)
            throw new InvalidDataException(
                $"{source}: {what} needs {count * (long)itemSize / (1 << 20)} MiB, more than the {MemoryBytes / (1 << 20)} MiB of memory available");
    }
}
