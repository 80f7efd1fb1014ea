using AnnScope.Communities.Engine;

namespace AnnScope.Tests.Communities;

/// <summary>
/// A thread keeps the multilayer slot caches (L·M² doubles) of the last two shapes it ran between runs, each only while it
/// is small.
/// </summary>
public class LayerCacheTests
{
    [Fact]
    public void ASmallProblemsCacheIsReusedAndALargeOnesIsNotKept()
    {
        OwnThread.Run(() =>
        {
            var small = LayerCache.ForThread(2, 20);
            Assert.Same(small, LayerCache.ForThread(2, 20));
            var other = LayerCache.ForThread(3, 20);
            Assert.NotSame(small, other); // sized to the current problem, not the largest seen
            // a study alternates a multilayer and a single-layer problem: both caches stay
            Assert.Same(small, LayerCache.ForThread(2, 20));
            Assert.Same(other, LayerCache.ForThread(3, 20));
            // a third shape displaces the one used longest ago
            var third = LayerCache.ForThread(1, 20);
            Assert.Same(third, LayerCache.ForThread(1, 20));
            Assert.Same(other, LayerCache.ForThread(3, 20));
            Assert.NotSame(small, LayerCache.ForThread(2, 20));
        });
        OwnThread.Run(() =>
        {
            var small = LayerCache.ForThread(2, 20);
            // 3 · 600² = 1,080,000 doubles > the 2^20 kept: this problem's cache goes with its run
            var large = LayerCache.ForThread(3, 600);
            Assert.NotSame(large, LayerCache.ForThread(3, 600));
            Assert.Same(small, LayerCache.ForThread(2, 20)); // and it displaced nothing
        });
        OwnThread.Run(() =>
        {
            // exactly at the limit: 4 · 512² = 2^20 doubles is kept
            var limit = LayerCache.ForThread(4, 512);
            Assert.Equal(LayerCache.RetainedDataLimit, 4L * 512 * 512);
            Assert.Same(limit, LayerCache.ForThread(4, 512));
        });
    }

    [Fact]
    public void ALargeRunLeavesNothingOnItsLiveThread()
    {
        using var made = new ManualResetEventSlim();
        using var looked = new ManualResetEventSlim();
        WeakReference<LayerCache>? weak = null;
        // the thread lives on, as a pool thread would, while the test looks for the cache it used
        var thread = new Thread(() =>
        {
            MakeLarge(out weak);
            made.Set();
            looked.Wait();
        });
        thread.Start();
        made.Wait();
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        bool alive = weak!.TryGetTarget(out _);
        looked.Set();
        thread.Join();
        Assert.False(alive, "a finished large run's cache is still referenced by its thread");
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static void MakeLarge(out WeakReference<LayerCache> weak)
    {
        var cache = LayerCache.ForThread(3, 600);
        Assert.Equal(3L * 600 * 600, cache.Sum.LongLength);
        weak = new WeakReference<LayerCache>(cache);
    }
}
