using AnnScope.Communities.Engine;

namespace AnnScope.Tests.Communities;

/// <summary>A thread keeps the multilayer slot cache (2·L·M² doubles) between runs only while it is small.</summary>
public class LayerCacheTests
{
    [Fact]
    public void ASmallProblemsCacheIsReusedAndALargeOnesIsNotKept()
    {
        // each check on a fresh thread: the cache is per thread
        void OnThread(Action check)
        {
            Exception? failure = null;
            var thread = new Thread(() =>
            {
                try { check(); }
                catch (Exception e) { failure = e; }
            });
            thread.Start();
            thread.Join();
            if (failure != null) throw new Xunit.Sdk.XunitException(failure.ToString());
        }

        OnThread(() =>
        {
            var small = LayerCache.ForThread(2, 20);
            Assert.Same(small, LayerCache.ForThread(2, 20));
            Assert.NotSame(small, LayerCache.ForThread(3, 20)); // sized to the current problem, not the largest seen
        });
        OnThread(() =>
        {
            var small = LayerCache.ForThread(2, 20);
            // 2 · 3 · 420² = 1,058,400 doubles > the 2^20 kept: this problem's cache goes with its run
            var large = LayerCache.ForThread(3, 420);
            Assert.NotSame(large, LayerCache.ForThread(3, 420));
            Assert.NotSame(small, LayerCache.ForThread(2, 20)); // and the thread no longer holds the old small one either
        });
        OnThread(() =>
        {
            // exactly at the limit: 2 · 2 · 512² = 2^20 doubles is kept
            var limit = LayerCache.ForThread(2, 512);
            Assert.Equal(LayerCache.RetainedDataLimit, 2L * 2 * 512 * 512);
            Assert.Same(limit, LayerCache.ForThread(2, 512));
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
        var cache = LayerCache.ForThread(3, 420);
        cache.EnsureStorage();
        Assert.Equal(2L * 3 * 420 * 420, cache.Data.LongLength);
        weak = new WeakReference<LayerCache>(cache);
    }
}
