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
    private volatile bool training, analysing;

    /// <summary>A budget of <paramref name="cores"/> cores (at least one).</summary>
    public CoreBudget(int cores) => Cores = Math.Max(1, cores);

    /// <summary>All the cores the study may use.</summary>
    public int Cores { get; }

    private int AnalysisShare => Math.Max(1, Cores / 4);

    /// <summary>Threads for the next training epoch: all cores unless the analysis is busy. With one core both sides get it.</summary>
    public int TrainingThreads => analysing ? Math.Max(1, Cores - AnalysisShare) : Cores;

    /// <summary>Threads for the next chunk of analysis: its share while training runs, else every core.</summary>
    public int AnalysisThreads => training ? AnalysisShare : Cores;

    /// <summary>Training starts or stops working (stops: done, or waiting for the analysis to take a checkpoint).</summary>
    public void Training(bool active) => training = active;

    /// <summary>The analysis starts or stops working on a checkpoint.</summary>
    public void Analysing(bool active) => analysing = active;

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
