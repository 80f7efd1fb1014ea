using AnnScope.Benchmarks.Gate;

namespace AnnScope.Tests.Benchmarks;

/// <summary>The gate's CPU rotation: the affinity mask it sets is the one the kernel reports back.</summary>
public class CpuAffinityTests
{
    [LinuxFact]
    public void PinningRestrictsTheThreadToThatCpuAndAllowRestoresTheMask()
    {
        IReadOnlyList<int> before = [], pinned = [], after = [];
        Exception? error = null;
        // a thread of its own, so that no test-runner thread stays pinned when something fails half-way
        var thread = new Thread(() =>
        {
            try
            {
                before = CpuAffinity.Allowed();
                CpuAffinity.Pin(before[^1]);
                pinned = CpuAffinity.Allowed();
                CpuAffinity.Allow(before);
                after = CpuAffinity.Allowed();
            }
            catch (Exception e) { error = e; }
        });
        thread.Start();
        thread.Join();
        Assert.Null(error);
        Assert.NotEmpty(before);
        Assert.Equal([before[^1]], pinned);
        Assert.Equal(before, after);
    }
}

/// <summary>Skips off Linux: the gate's affinity and thread-CPU-time calls are Linux system calls.</summary>
public sealed class LinuxFactAttribute : FactAttribute
{
    public LinuxFactAttribute()
    {
        if (!OperatingSystem.IsLinux()) Skip = "sched_setaffinity is a Linux call";
    }
}
