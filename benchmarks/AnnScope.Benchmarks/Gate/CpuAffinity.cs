using System.Runtime.InteropServices;

namespace AnnScope.Benchmarks.Gate;

/// <summary>The calling thread's CPU affinity (Linux <c>sched_getaffinity</c>/<c>sched_setaffinity</c>, pid 0 = this thread).</summary>
public static class CpuAffinity
{
    private const int MaskWords = 16; // 1024 CPUs

    /// <summary>The CPUs the calling thread may run on; empty when the call fails (the gate then leaves placement to the scheduler).</summary>
    public static IReadOnlyList<int> Allowed()
    {
        var mask = new ulong[MaskWords];
        if (GetAffinity(0, MaskWords * sizeof(ulong), mask) != 0) return [];
        return Enumerable.Range(0, MaskWords * 64).Where(cpu => (mask[cpu / 64] >> (cpu % 64) & 1) != 0).ToList();
    }

    /// <summary>Restricts the calling thread to one CPU.</summary>
    public static void Pin(int cpu) => Allow([cpu]);

    /// <summary>Lets the calling thread run on these CPUs (no-op for an empty list).</summary>
    public static void Allow(IReadOnlyList<int> cpus)
    {
        if (cpus.Count == 0) return;
        var mask = new ulong[MaskWords];
        foreach (int cpu in cpus) mask[cpu / 64] |= 1UL << (cpu % 64);
        if (SetAffinity(0, MaskWords * sizeof(ulong), mask) != 0)
            throw new InvalidOperationException($"sched_setaffinity failed (errno {Marshal.GetLastPInvokeError()})");
    }

    [DllImport("libc", EntryPoint = "sched_getaffinity", SetLastError = true)]
    private static extern int GetAffinity(int pid, nint size, [Out] ulong[] mask);

    [DllImport("libc", EntryPoint = "sched_setaffinity", SetLastError = true)]
    private static extern int SetAffinity(int pid, nint size, ulong[] mask);
}
