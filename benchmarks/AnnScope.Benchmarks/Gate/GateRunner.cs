using System.Runtime.InteropServices;

namespace AnnScope.Benchmarks.Gate;

/// <summary>
/// <c>bench-check [--update-baseline] [--baseline FILE]</c>: times <see cref="GateBenchmarks"/> in process (one thread)
/// in rounds, turns them into <see cref="GateFigures"/> and compares them with <c>benchmarks/baseline.json</c>, or rewrites it.
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

        string measuredOn = $"{Environment.MachineName}, {Environment.ProcessorCount} cores, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC";
        var baseline = update ? null : GateFigures.Read(baselinePath);
        using var session = new Session();
        var rounds = session.Rounds(GatePaths.All, Rounds);
        var measured = GateFigures.FromRounds(rounds, measuredOn);
        if (baseline != null && GateComparison.FailingPaths(baseline, measured) is { Count: > 0 } suspects)
        {
            // A disturbance only ever slows a call, so more rounds can lift a figure that noise pushed down but never
            // one that a slower kernel holds down: a path is measured again before it fails.
            Console.WriteLine($"// below the baseline's tolerance: {string.Join(", ", suspects)}; measuring again ({Rounds} more rounds)");
            rounds.AddRange(session.Rounds(GatePaths.All.Where(p => suspects.Contains(p.Name)).ToList(), Rounds));
            measured = GateFigures.FromRounds(rounds, measuredOn);
        }
        Console.WriteLine($"// sgemm {measured.SgemmGflops:F1} GFLOP/s (1 thread)");
        foreach (var (name, figures) in measured.Paths)
            Console.WriteLine($"// {name,-22} rate vs sgemm {figures.RateVsSgemm,10:G4}   speed-up vs reference {(figures.SpeedupVsReference is { } s ? s.ToString("F1") : "-"),6}");
        if (baseline == null)
        {
            measured.Write(baselinePath);
            Console.WriteLine($"bench-check: baseline written to {baselinePath}");
            return 0;
        }
        var failures = GateComparison.Failures(baseline, measured);
        foreach (var failure in failures) Console.Error.WriteLine($"bench-check: FAIL {failure}");
        Console.WriteLine(failures.Count == 0
            ? $"bench-check: every path within {GateComparison.Tolerance:P0} of {baselinePath}"
            : $"bench-check: {failures.Count} figure(s) fell more than {GateComparison.Tolerance:P0} below the baseline");
        return failures.Count == 0 ? 0 : 1;
    }

    /// <summary>
    /// Rounds (each benchmark counts with its fastest): with 30 rounds of 40 ms chunks, the fastest single-layer Louvain still
    /// differed by 18 % between processes at load average 7–11; 40 rounds of 10 ms take about a minute, and a path found
    /// below the tolerance gets as many again.
    /// </summary>
    private const int Rounds = 40;

    /// <summary>
    /// Each timed chunk repeats its call until this long (a single call when it is longer): short, because a short
    /// chunk is more often left undisturbed, and only the fastest counts.
    /// </summary>
    private const double ChunkSeconds = 0.01;

    /// <summary>
    /// The benchmarks, set up and warmed up (two calls each) once, and the CPUs the process may use. Each round times
    /// <c>sgemm, path[, reference]</c> for every path in turn, on the next of those CPUs; the figures take each
    /// benchmark's fastest round (<see cref="GateFigures.FromRounds"/>). On the 2-core development VM a CPU's speed
    /// switches between a fast and a slow state that lasts tens of seconds (the managed FC reference ran 185–230 ms on
    /// one CPU and 300–440 ms on the other, call after call, in the same process; MKL sgemm slows by only 1.2×), and
    /// the scheduler leaves a thread on one CPU: a median over the rounds of one process reported the state of the CPU
    /// it happened to get (fc-windowed's speed-up over its reference read 17.3–22.5 in five processes). Rotating the
    /// CPUs gives every benchmark rounds on each, and cycling over all paths per round spreads each benchmark's rounds
    /// over the whole run.
    /// </summary>
    private sealed class Session : IDisposable
    {
        private readonly GateBenchmarks benchmarks = new();
        private readonly IReadOnlyList<int> cpus = CpuAffinity.Allowed();
        private readonly Dictionary<string, Action> calls;

        public Session()
        {
            benchmarks.Setup();
            calls = typeof(GateBenchmarks).GetMethods()
                .Where(m => m.GetCustomAttributes(typeof(BenchmarkDotNet.Attributes.BenchmarkAttribute), false).Length > 0)
                .ToDictionary(m => m.Name, m => (Action)(() => m.Invoke(benchmarks, null)), StringComparer.Ordinal);
            foreach (var call in calls.Values) { call(); call(); }
        }

        public List<IReadOnlyDictionary<string, double>> Rounds(IReadOnlyList<GatePath> paths, int count)
        {
            var rounds = new List<IReadOnlyDictionary<string, double>>();
            try
            {
                for (int round = 0; round < count; round++)
                {
                    if (cpus.Count > 1) CpuAffinity.Pin(cpus[round % cpus.Count]);
                    var measured = new Dictionary<string, double>(StringComparer.Ordinal);
                    foreach (var path in paths)
                    {
                        Keep(measured, GatePaths.Sgemm, Time(calls[GatePaths.Sgemm]));
                        Keep(measured, path.Benchmark, Time(calls[path.Benchmark]));
                        if (path.Reference is { } reference) Keep(measured, reference, Time(calls[reference]));
                    }
                    rounds.Add(measured);
                    if ((round + 1) % 10 == 0) Console.WriteLine($"// round {round + 1}/{count}");
                }
            }
            finally
            {
                CpuAffinity.Allow(cpus);
            }
            return rounds;
        }

        public void Dispose() => benchmarks.Cleanup();
    }

    /// <summary>Records a benchmark's time in a round; timed more than once in it (sgemm), its fastest.</summary>
    private static void Keep(Dictionary<string, double> round, string benchmark, double seconds) =>
        round[benchmark] = round.TryGetValue(benchmark, out var earlier) ? Math.Min(earlier, seconds) : seconds;

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
