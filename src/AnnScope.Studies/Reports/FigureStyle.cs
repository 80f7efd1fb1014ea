using ScottPlot;
using SkiaSharp;

namespace AnnScope.Reports;

/// <summary>
/// One look for every figure: a fixed colour and marker per measure and per learning mode (the same in every panel),
/// labelled axes, and rendering at about 150 dpi (layout in points, scaled 1.5×).
/// </summary>
internal static class FigureStyle
{
    /// <summary>One panel: 8 × 5 inches at 150 dpi.</summary>
    public const int PanelWidth = 1200, PanelHeight = 750;

    /// <summary>Text and lines scaled as for 144 dpi (ScottPlot lays out at 96).</summary>
    public const float Scale = 1.5f;

    // one colour and one marker per measure, none shared, so any set of measures in one panel tells apart in
    // colour and in shape (the accuracy columns are alternatives: a figure shows one of them)
    private static readonly Dictionary<string, (Color Color, MarkerShape Marker)> MeasureStyles = new(StringComparer.Ordinal)
    {
        ["paper_accuracy"] = (Color.FromHex("#1f77b4"), MarkerShape.FilledCircle),
        ["accuracy"] = (Color.FromHex("#1f77b4"), MarkerShape.FilledCircle),
        ["balanced_accuracy"] = (Color.FromHex("#1f77b4"), MarkerShape.FilledCircle),
        ["multilayer_modularity"] = (Color.FromHex("#ff7f0e"), MarkerShape.FilledSquare),
        ["multilayer_communities"] = (Color.FromHex("#17becf"), MarkerShape.Cross),
        ["flexibility"] = (Color.FromHex("#2ca02c"), MarkerShape.FilledTriangleUp),
        ["entropy"] = (Color.FromHex("#d62728"), MarkerShape.FilledDiamond),
        ["static_modularity"] = (Color.FromHex("#9467bd"), MarkerShape.FilledTriangleDown),
        ["static_communities"] = (Color.FromHex("#843c39"), MarkerShape.Eks),
        ["mean_activation"] = (Color.FromHex("#8c564b"), MarkerShape.OpenSquare),
        ["mean_correlation"] = (Color.FromHex("#e377c2"), MarkerShape.Asterisk),
        ["kurtosis"] = (Color.FromHex("#7f7f7f"), MarkerShape.OpenDiamond),
        ["skewness"] = (Color.FromHex("#bcbd22"), MarkerShape.OpenTriangleUp),
    };

    private static readonly Color[] Fallback = [Color.FromHex("#393b79"), Color.FromHex("#637939"), Color.FromHex("#e7ba52")];

    private static readonly MarkerShape[] FallbackMarkers = [MarkerShape.TriUp, MarkerShape.TriDown, MarkerShape.HashTag];

    private static readonly Dictionary<string, (Color Color, MarkerShape Marker)> ModeStyles = new(StringComparer.Ordinal)
    {
        ["I"] = (Color.FromHex("#1f77b4"), MarkerShape.FilledCircle),
        ["II"] = (Color.FromHex("#d62728"), MarkerShape.FilledSquare),
        ["instant"] = (Color.FromHex("#2ca02c"), MarkerShape.FilledTriangleUp),
        ["other"] = (Color.FromHex("#7f7f7f"), MarkerShape.FilledDiamond),
    };

    public static Color ColorOf(string measure) => StyleOf(MeasureStyles, measure).Color;

    /// <summary>The marker that identifies a measure's series (with its colour) in every figure.</summary>
    public static MarkerShape MarkerOf(string measure) => StyleOf(MeasureStyles, measure).Marker;

    public static Color ModeColor(string mode) => StyleOf(ModeStyles, mode).Color;

    public static MarkerShape ModeMarker(string mode) => StyleOf(ModeStyles, mode).Marker;

    private static (Color Color, MarkerShape Marker) StyleOf(Dictionary<string, (Color, MarkerShape)> styles, string name)
    {
        if (styles.TryGetValue(name, out var style)) return style;
        int h = (int)((uint)StableHash(name) % (Fallback.Length * FallbackMarkers.Length));
        return (Fallback[h % Fallback.Length], FallbackMarkers[h / Fallback.Length]);
    }

    /// <summary>How a checkpoints.csv column reads on an axis (with its unit).</summary>
    public static string Label(string column) => column switch
    {
        "accuracy" => "accuracy (fraction correct)",
        "paper_accuracy" => "paper accuracy (weighted score)",
        "balanced_accuracy" => "balanced accuracy",
        "multilayer_modularity" => "multilayer modularity Q",
        "static_modularity" => "static modularity Q",
        "multilayer_communities" => "multilayer communities (count)",
        "static_communities" => "static communities (count)",
        "flexibility" => "flexibility (fraction of window changes)",
        "entropy" => "entropy H (nats)",
        "mean_activation" => "mean activation a(t)",
        "mean_correlation" => "mean correlation r (pairs i<j)",
        "kurtosis" => "kurtosis m4/m2^2 (Gaussian = 3)",
        "skewness" => "skewness m3/m2^1.5",
        _ => column.Replace('_', ' '),
    };

    /// <summary>A short name for legends.</summary>
    public static string Name(string column) => column switch
    {
        "multilayer_modularity" => "modularity (multilayer)",
        "static_modularity" => "modularity (static)",
        "multilayer_communities" => "communities (multilayer)",
        "static_communities" => "communities (static)",
        "paper_accuracy" => "accuracy (paper score)",
        _ => column.Replace('_', ' '),
    };

    public static Plot NewPlot(string title, string xLabel, string yLabel)
    {
        var plot = new Plot { ScaleFactor = Scale };
        plot.Title(title);
        plot.XLabel(xLabel);
        plot.YLabel(yLabel);
        return plot;
    }

    /// <summary>Marks a panel whose data are undefined (e.g. no accuracy recorded) instead of leaving it blank.</summary>
    public static void NoData(Plot plot, string message)
    {
        var text = plot.Add.Annotation(message, Alignment.MiddleCenter);
        text.LabelFontSize = 16;
    }

    public static Figure Render(string file, string title, string caption, Plot plot, int width = PanelWidth, int height = PanelHeight) =>
        new(file, title, caption, plot.GetImageBytes(width, height, ImageFormat.Png), width, height) { Panels = [plot] };

    /// <summary>
    /// Several panels in a grid (row by row), each rendered at its own size and scale and then placed on one
    /// canvas: ScottPlot's multiplot offsets scaled panels wrongly, so the grid is composed here.
    /// </summary>
    public static Figure Render(string file, string title, string caption, IReadOnlyList<Plot> panels, int columns, int panelWidth, int panelHeight)
    {
        int rows = (panels.Count + columns - 1) / columns;
        int width = columns * panelWidth, height = rows * panelHeight;
        using var surface = SKSurface.Create(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul));
        surface.Canvas.Clear(SKColors.White);
        for (int k = 0; k < panels.Count; k++)
        {
            using var panel = SKBitmap.Decode(panels[k].GetImageBytes(panelWidth, panelHeight, ImageFormat.Png));
            surface.Canvas.DrawBitmap(panel, k % columns * panelWidth, k / columns * panelHeight);
        }
        using var image = surface.Snapshot();
        using var png = image.Encode(SKEncodedImageFormat.Png, 100);
        return new Figure(file, title, caption, png.ToArray(), width, height) { Panels = panels };
    }

    private static int StableHash(string s)
    {
        int h = 17;
        foreach (char c in s) h = unchecked(h * 31 + c);
        return h;
    }
}
