namespace AnnScope.Studies;

/// <summary>
/// A fixed set of reused activation buffers (one checkpoint each). The source fills one while the analysis reads
/// another, so a study holds at most this many checkpoints' activations — 144 MB each at paper scale — and the
/// garbage collector never sees them churn; a source that runs ahead waits here for the analysis to give one back.
/// </summary>
internal sealed class ActivationBuffers : IDisposable
{
    private readonly Stack<float[]> free = new();
    private readonly HashSet<float[]> rented = new(ReferenceEqualityComparer.Instance);
    private readonly SemaphoreSlim available;
    private readonly Lock gate = new();
    private readonly long length;

    /// <summary>At most <paramref name="capacity"/> buffers of <paramref name="length"/> floats, allocated when first needed.</summary>
    public ActivationBuffers(int capacity, long length)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        this.length = length;
        available = new SemaphoreSlim(capacity, capacity);
    }

    /// <summary>Buffers allocated so far (at most the capacity).</summary>
    public int Created { get; private set; }

    /// <summary>A free buffer, waiting until the analysis returns one.</summary>
    public float[] Rent(CancellationToken cancel)
    {
        available.Wait(cancel);
        lock (gate)
        {
            if (!free.TryPop(out var buffer))
            {
                buffer = new float[length];
                Created++;
            }
            rented.Add(buffer);
            return buffer;
        }
    }

    /// <summary>Gives <paramref name="buffer"/> back; one this pool did not hand out (or already has back) is ignored.</summary>
    public void Return(float[] buffer)
    {
        lock (gate)
        {
            if (!rented.Remove(buffer)) return;
            free.Push(buffer);
        }
        available.Release();
    }

    public void Dispose() => available.Dispose();
}
