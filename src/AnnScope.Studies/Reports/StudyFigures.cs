using AnnScope.Results;

namespace AnnScope.Reports;

/// <summary>
/// Every figure of a study report, rendered in memory from the stored results (science.md §6–8): training
/// curves of accuracy and the network measures, activation statistics, allegiance snapshots, the relations of
/// accuracy with the measures across and within instances, and the learning modes.
/// </summary>
internal static partial class StudyFigures
{
    /// <summary>Renders all figures (file names are stable: accuracy.png, flexibility.png, ...).</summary>
    public static IReadOnlyList<Figure> Render(StudyResults study)
    {
        ArgumentNullException.ThrowIfNull(study);
        var makers = new Func<StudyResults, Figure>[]
        {
            Accuracy, Flexibility, Communities, Modularity, Entropy, NormalisedOverlay, ActivationAndCorrelation,
            KurtosisAndSkewness, s => Histograms(s, "activation"), s => Histograms(s, "correlation"), Allegiance,
            AcrossInstance, WithinWindow, WithinWindowHistograms, LearningModes,
        };
        // One at a time: rendered on several threads at once, the paper study's report once died of a segmentation
        // fault inside libSkiaSharp (a thread-pool worker, 2026-12-05), and ScottPlot leaves thread safety to its
        // callers. The figures take about a second in all.
        var figures = new Figure[makers.Length];
        for (int k = 0; k < makers.Length; k++) figures[k] = makers[k](study);
        return figures;
    }

    private static double[] EpochAxis(StudyResults study) => [.. study.Epochs.Select(e => (double)e)];
}
