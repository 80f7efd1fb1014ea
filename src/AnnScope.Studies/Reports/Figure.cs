namespace AnnScope.Reports;

/// <summary>One rendered figure of a study report: its file name under figures/, title, caption and PNG bytes.</summary>
public sealed record Figure(string FileName, string Title, string Caption, byte[] Png, int Width, int Height)
{
    /// <summary>The plots drawn into the PNG (one per panel, row by row): what the figure shows, for checking it.</summary>
    internal IReadOnlyList<ScottPlot.Plot> Panels { get; init; } = [];
}
