using AnnScope.Studies;
using Spectre.Console;

namespace AnnScope.Cli;

/// <summary>
/// Shows a study's progress: a live Spectre.Console display on a terminal, plain lines (at most one every
/// few seconds) when output is redirected, as in CI or a log file.
/// </summary>
internal sealed class ProgressDisplay
{
    private readonly bool live = !Console.IsErrorRedirected && AnsiConsole.Profile.Capabilities.Interactive;
    private DateTime lastLine = DateTime.MinValue;

    /// <summary>Runs <paramref name="work"/>, handing it a progress callback.</summary>
    public T Run<T>(string title, Func<IProgress<StudyProgress>, T> work)
    {
        if (!live) return work(new Progress(this, null));
        T result = default!;
        AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(),
                new RemainingTimeColumn(), new SpinnerColumn())
            .Start(ctx =>
            {
                var train = ctx.AddTask($"{title}: training");
                var analyse = ctx.AddTask($"{title}: analysis");
                result = work(new Progress(this, (train, analyse)));
            });
        return result;
    }

    private sealed class Progress(ProgressDisplay owner, (ProgressTask Train, ProgressTask Analyse)? tasks) : IProgress<StudyProgress>
    {
        public void Report(StudyProgress p)
        {
            if (tasks is var (train, analyse))
            {
                train.MaxValue = p.EpochsTotal;
                train.Value = p.EpochsDone;
                train.Description = $"training  epoch {p.EpochsDone}/{p.EpochsTotal}";
                analyse.MaxValue = p.CheckpointsTotal;
                analyse.Value = p.CheckpointsAnalysed;
                analyse.Description = $"analysis  checkpoint {p.CheckpointsAnalysed}/{p.CheckpointsTotal}";
                return;
            }
            bool done = p.CheckpointsAnalysed == p.CheckpointsTotal;
            if (!done && DateTime.UtcNow - owner.lastLine < TimeSpan.FromSeconds(5)) return;
            owner.lastLine = DateTime.UtcNow;
            var eta = p.Remaining is { } r ? $", about {r:hh\\:mm\\:ss} left" : "";
            Console.Error.WriteLine(
                $"[{p.Elapsed:hh\\:mm\\:ss}] {p.Stage}: epoch {p.EpochsDone}/{p.EpochsTotal}, " +
                $"checkpoints analysed {p.CheckpointsAnalysed}/{p.CheckpointsTotal} ({p.Fraction:P0}{eta})");
        }
    }
}
