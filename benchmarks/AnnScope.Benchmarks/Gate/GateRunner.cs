using System.Runtime.InteropServices;

namespace AnnScope.Benchmarks.Gate;

/// <summary>
/// <c>bench-check [--update-baseline] [--baseline FILE]</c>: times <see cref="GateBenchmarks"/> in process (one thread)
/// in paired rounds, turns them into <see cref="GateFigures"/> and compares them with <c>benchmarks/baseline.json</c>, or rewrites it.
/// Exit code 0 when every figure is within the tolerance, 1 when one fell, 2 for bad arguments or a missing baseline.
/// </summary>
public static class GateRunner
{
    /// <summary>Runs the gate; returns the process exit code.</summary>
    public static int Run(string[] args)
    {
        bool update = false;
        string baselinePath = Path.Combine(RepositoryFile.Root(), "benchmarks", "baseline.json");
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--update-baseline": update = true; break;
                case "--baseline" when i + 1 < args.Length: baselinePath = args[++i]; break;
                default:
                    Console.Error.WriteLine($"bench-check: unknown argument '{args[i]}' (usage: bench-check [--update-baseline] [--baseline FILE])");
                    return 2;
            }
        }
        if (!update && !File.Exists(baselinePath))
        {
            Console.Error.WriteLine($"bench-check: no baseline at {baselinePath}; run with --update-baseline to make one");
            return 2;
        }

        var measured = GateFigures.FromRounds(Measure(), $"{Environment.MachineName}, {Environment.ProcessorCount} cores, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
        Console.WriteLine($"// sgemm {measured.SgemmGflops:F1} GFLOP/s (1 thread)");
        foreach (var (name, figures) in measured.Paths)
            Console.WriteLine($"// {name,-22} rate vs sgemm {figures.RateVsSgemm,10:G4}   speed-up vs reference {(figures.SpeedupVsReference is { } s ? s.ToString("F1") : "-"),6}");
        if (update)
        {
            measured.Write(baselinePath);
            Console.WriteLine($"bench-check: baseline written to {baselinePath}");
            return 0;
        }
        var failures = GateComparison.Failures(GateFigures.Read(baselinePath), measured);
        foreach (var failure in failures) Console.Error.WriteLine($"bench-check: FAIL {failure}");
        Console.WriteLine(failures.Count == 0
            ? $"bench-check: every path within {GateComparison.Tolerance:P0} of {baselinePath}"
            : $"bench-check: {failures.Count} figure(s) fell more than {GateComparison.Tolerance:P0} below the baseline");
        return failures.Count == 0 ? 0 : 1;
    }

    /// <summary>Paired rounds per path; 15 keep the median steady and the whole gate near two minutes under load.</summary>
    private const int Rounds = 15;

    /// <summary>Each timed chunk repeats its call until this long (a single call when it is longer).</summary>
    private const double ChunkSeconds = 0.04;

    /// <summary>
    /// Paired rounds: for every path, in turn, <c>sgemm, path, [reference, path,] sgemm</c> — the sgemm (and path) times
    /// averaged over both sides of what they are compared with, so a load that rises or falls linearly during the round
    /// cancels in the ratio. Rounds cycle over all paths, so a burst of load hits one round of several paths rather than
    /// every round of one. BenchmarkDotNet measures one benchmark after another and cannot interleave them, which is
    /// how a load change between two benchmarks once doubled every figure; the gate therefore times its own chunks
    /// (after two warm-up calls of each) in thread CPU time.
    /// </summary>
    private static List<IReadOnlyDictionary<string, double>> Measure()
    {
        var benchmarks = new GateBenchmarks();
        benchmarks.Setup();
        try
        {
            var calls = typeof(GateBenchmarks).GetMethods()
                .Where(m => m.GetCustomAttributes(typeof(BenchmarkDotNet.Attributes.BenchmarkAttribute), false).Length > 0)
                .ToDictionary(m => m.Name, m => (Action)(() => m.Invoke(benchmarks, null)), StringComparer.Ordinal);
            foreach (var call in calls.Values) { call(); call(); }
            var rounds = new List<IReadOnlyDictionary<string, double>>();
            for (int round = 0; round < Rounds; round++)
            {
                foreach (var path in GatePaths.All)
                {
                    double sgemm = Time(calls[GatePaths.Sgemm]), seconds = Time(calls[path.Benchmark]);
                    var measured = new Dictionary<string, double>(StringComparer.Ordinal);
                    if (path.Reference is { } reference)
                    {
                        measured[reference] = Time(calls[reference]);
                        seconds = (seconds + Time(calls[path.Benchmark])) / 2;
                    }
                    measured[path.Benchmark] = seconds;
                    measured[GatePaths.Sgemm] = (sgemm + Time(calls[GatePaths.Sgemm])) / 2;
                    rounds.Add(measured);
                }
                Console.WriteLine($"// round {round + 1}/{Rounds}");
            }
            return rounds;
        }
        finally
        {
            benchmarks.Cleanup();
        }
    }

    /// <summary>
    /// CPU seconds of the calling thread per call. On a shared machine the wall clock also counts the time the thread
    /// waits for a core, which depends on the other processes, not on the kernel; the thread's own CPU time does not.
    /// (Every gate path runs on the calling thread: one-thread MKL context, no Parallel.For.)
    /// </summary>
    private static double Time(Action call)
    {
        double start = ThreadCpuSeconds(), elapsed;
        int calls = 0;
        do
        {
            call();
            calls++;
            elapsed = ThreadCpuSeconds() - start;
        } while (elapsed < ChunkSeconds);
        return elapsed / calls;
    }

    private const int ClockThreadCpuTime = 3;

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec { public long Seconds; public long Nanoseconds; }

    [DllImport("libc", EntryPoint = "clock_gettime")]
    private static extern int ClockGetTime(int clock, out TimeSpec time);

    private static double ThreadCpuSeconds() =>
        ClockGetTime(ClockThreadCpuTime, out var t) == 0 ? t.Seconds + t.Nanoseconds * 1e-9
            : throw new InvalidOperationException("clock_gettime(CLOCK_THREAD_CPUTIME_ID) failed");
}
