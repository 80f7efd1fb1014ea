namespace AnnScope.Studies;

/// <summary>
/// The one owner of a study's cores. Training and analysis run at the same time; before each piece of work (a
/// training epoch, a chunk of instances) each asks how many threads it may use, so that together they never run
/// more threads than cores — oversubscribed, they preempt each other mid-kernel and spin at each other's barriers.
/// While both have work the analysis keeps a quarter of the cores (at least one): at paper scale training costs
/// about three times as much core time as the analysis. Whichever side is waiting lends its cores to the other.
/// </summary>
internal sealed class CoreBudget
{
    private volatile bool training;
    private int analysisPending; // checkpoints handed to the analysis and not yet finished

    /// <summary>A budget of <paramref name="cores"/> cores (at least one).</summary>
    public CoreBudget(int cores) => Cores = Math.Max(1, cores);

    /// <summary>All the cores the study may use.</summary>
    public int Cores { get; }

    private int AnalysisShare => Math.Max(1, Cores / 4);

    /// <summary>Threads for the next training epoch: all cores unless the analysis has work. With one core both sides get it.</summary>
    public int TrainingThreads => Volatile.Read(ref analysisPending) > 0 ? Math.Max(1, Cores - AnalysisShare) : Cores;

    /// <summary>Threads for the next chunk of analysis: its share while training runs, else every core.</summary>
    public int AnalysisThreads => training ? AnalysisShare : Cores;

    /// <summary>Training starts or stops working (stops: done, or waiting for the analysis to take a checkpoint).</summary>
    public void Training(bool active) => training = active;

    /// <summary>
    /// A checkpoint is handed to the analysis. Counted by the side that hands it over, before the hand-over: the
    /// training epoch that starts next must already see the analysis's claim, not race the analysis waking up.
    /// </summary>
    public void AnalysisQueued() => Interlocked.Increment(ref analysisPending);

    /// <summary>The analysis has finished a checkpoint.</summary>
    public void AnalysisDone() => Interlocked.Decrement(ref analysisPending);

    /// <summary>Sets the training side's own context to <see cref="TrainingThreads"/>; returns them.</summary>
    public int ForTraining(ComputeContext context) => Apply(context, TrainingThreads);

    /// <summary>Sets the analysis side's own context to <see cref="AnalysisThreads"/>; returns them.</summary>
    public int ForAnalysis(ComputeContext context) => Apply(context, AnalysisThreads);

    private static int Apply(ComputeContext context, int threads)
    {
        // an OpenCL context's work runs on its device; only MKL contexts have host threads to share
        if (context.Backend == ComputeBackend.Mkl) context.UseThreads(threads);
        return threads;
    }
}
