using AnnScope.Results;
using ScottPlot;

namespace AnnScope.Reports;

public static partial class StudyFigures
{
    private static Figure Accuracy(StudyResults study)
    {
        var column = study.Summary.AccuracyColumn;
        var plot = FigureStyle.NewPlot($"Accuracy over training ({study.Instances} instances)", "epoch", FigureStyle.Label(column));
        var x = EpochAxis(study);
        var series = study.Checkpoints.Series(column);
        if (!Curves.AnyFinite(series)) FigureStyle.NoData(plot, "no accuracy recorded for these activations");
        else
        {
            Draw.MeanAndInstances(plot, x, series, FigureStyle.ColorOf(column), FigureStyle.MarkerOf(column), FigureStyle.Name(column));
            if (column != "accuracy" && study.Checkpoints.Series("accuracy") is var plain && Curves.AnyFinite(plain))
                Draw.Line(plot, x, Curves.MeanSem(plain).Mean, Colors.Black, 2, "plain accuracy: mean", LinePattern.Dashed, MarkerShape.OpenCircle);
            plot.Axes.SetLimitsY(-0.02, 1.02);
            plot.ShowLegend(Alignment.LowerRight);
        }
        return FigureStyle.Render("accuracy.png", "Accuracy",
            $"Test accuracy ({column}) of each instance (thin lines) and the instance mean ± SEM (band) at every checkpoint." +
            (column == "paper_accuracy" ? " The paper score weights the classes as the original code did: always answering \"novel\" scores about 1/3. The dashed line is plain accuracy." : ""),
            plot);
    }

    private static Figure Flexibility(StudyResults study) =>
        OneMeasure(study, "flexibility.png", "Flexibility", "flexibility",
            "System flexibility of the multilayer partition (fraction of consecutive windows in which a unit changes community, averaged over units): instances (thin) and mean ± SEM.");

    private static Figure Entropy(StudyResults study) =>
        OneMeasure(study, "entropy.png", "Entropy", "entropy",
            "Gaussian differential entropy of the hidden activations, ½ ln det Σ + ½ M (1 + ln 2π), in nats: instances (thin) and mean ± SEM.");

    private static Figure OneMeasure(StudyResults study, string file, string title, string column, string caption)
    {
        var plot = FigureStyle.NewPlot($"{title} over training", "epoch", FigureStyle.Label(column));
        Measure(plot, study, column);
        return FigureStyle.Render(file, title, caption, plot);
    }

    private static void Measure(Plot plot, StudyResults study, string column, bool instanceLines = true)
    {
        var series = study.Checkpoints.Series(column);
        if (!Curves.AnyFinite(series))
        {
            FigureStyle.NoData(plot, $"{FigureStyle.Name(column)} is undefined at every checkpoint");
            return;
        }
        Draw.MeanAndInstances(plot, EpochAxis(study), series, FigureStyle.ColorOf(column), FigureStyle.MarkerOf(column), FigureStyle.Name(column),
            instanceLines);
        plot.ShowLegend(Alignment.UpperRight);
    }

    private static Figure Communities(StudyResults study) =>
        Pair(study, "communities.png", "Number of communities", "number of communities",
            ["multilayer_communities", "static_communities"],
            "Number of communities of the multilayer partition (distinct labels over all windows) and of the static partition of the full FC: instance mean ± SEM.");

    private static Figure Modularity(StudyResults study) =>
        Pair(study, "modularity.png", "Modularity", "modularity Q",
            ["multilayer_modularity", "static_modularity"],
            "Modularity Q of the best multilayer partition (signed, γ+ = 1.02, γ− = 1, ω = 1) and of the static partition of the full FC: instance mean ± SEM.");

    private static Figure Pair(StudyResults study, string file, string title, string yLabel, string[] columns, string caption)
    {
        var plot = FigureStyle.NewPlot($"{title} over training", "epoch", yLabel);
        var x = EpochAxis(study);
        foreach (var column in columns)
        {
            var series = study.Checkpoints.Series(column);
            Draw.MeanAndInstances(plot, x, series, FigureStyle.ColorOf(column), FigureStyle.MarkerOf(column), FigureStyle.Name(column),
                instanceLines: false);
        }
        plot.ShowLegend(Alignment.UpperRight);
        return FigureStyle.Render(file, title, caption, plot);
    }

    private static Figure NormalisedOverlay(StudyResults study)
    {
        var plot = FigureStyle.NewPlot("Normalised instance means", "epoch", "min–max normalised mean (0–1)");
        var x = EpochAxis(study);
        var skipped = new List<string>();
        foreach (var column in new[] { study.Summary.AccuracyColumn, "multilayer_modularity", "flexibility", "entropy" })
        {
            var normalised = Curves.MinMax(Curves.MeanSem(study.Checkpoints.Series(column)).Mean);
            if (normalised is null) skipped.Add(FigureStyle.Name(column));
            else Draw.Line(plot, x, normalised, FigureStyle.ColorOf(column), 3, FigureStyle.Name(column), marker: FigureStyle.MarkerOf(column));
        }
        if (skipped.Count == 4) FigureStyle.NoData(plot, "every curve is constant or undefined");
        else
        {
            plot.Axes.SetLimitsY(-0.03, 1.03);
            plot.ShowLegend(Alignment.LowerRight);
        }
        return FigureStyle.Render("normalised_overlay.png", "Normalised overlay",
            "Instance-mean curves of accuracy, multilayer modularity, flexibility and entropy, each rescaled to [0, 1] by its own minimum and maximum, to compare when they change." +
            (skipped.Count > 0 ? $" Left out (constant or undefined): {string.Join(", ", skipped)}." : ""), plot);
    }

    private static Figure ActivationAndCorrelation(StudyResults study) =>
        TwoPanels(study, "activation_and_correlation.png", "Mean activation and mean correlation", ["mean_activation", "mean_correlation"],
            "Left: mean hidden pre-activation a(t) pooled over samples and units. Right: mean functional connectivity (Pearson r over unit pairs i < j of the full FC). Instances (thin) and mean ± SEM.");

    private static Figure KurtosisAndSkewness(StudyResults study) =>
        TwoPanels(study, "kurtosis_and_skewness.png", "Kurtosis and skewness", ["kurtosis", "skewness"],
            "Left: kurtosis m4/m2² (non-excess; 3 for a Gaussian). Right: skewness m3/m2^1.5. Both pooled over all samples and units of an instance's activations; instances (thin) and mean ± SEM.");

    private static Figure TwoPanels(StudyResults study, string file, string title, string[] columns, string caption)
    {
        var panels = columns.Select(column =>
        {
            var plot = FigureStyle.NewPlot(FigureStyle.Name(column), "epoch", FigureStyle.Label(column));
            Measure(plot, study, column);
            return plot;
        }).ToArray();
        return FigureStyle.Render(file, title, caption, panels, 2, FigureStyle.PanelWidth, FigureStyle.PanelHeight);
    }
}
