using AnnScope.Results;

namespace AnnScope.Reports;

/// <summary>
/// Every figure of a study report, rendered in memory from the stored results (science.md §6–8): training
/// curves of accuracy and the network measures, activation statistics, allegiance snapshots, the relations of
/// accuracy with the measures across and within instances, and the learning modes.
/// </summary>
public static partial class StudyFigures
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
        // Figures are independent; ScottPlot renders separate plots safely on separate threads.
        var figures = new Figure[makers.Length];
        Parallel.For(0, makers.Length, k => figures[k] = makers[k](study));
        return figures;
    }

    private static double[] EpochAxis(StudyResults study) => [.. study.Epochs.Select(e => (double)e)];
}
