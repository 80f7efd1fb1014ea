using SkiaSharp;

namespace AnnScope.Tests.Reports;

/// <summary>What a PNG holds: its size, how many distinct colours, and how much of it is not background white.</summary>
public sealed record PngProbe(int Width, int Height, int DistinctColors, double InkFraction)
{
    public static PngProbe Of(byte[] png)
    {
        Assert.True(png.Length > 8 && png.AsSpan(0, 8).SequenceEqual(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }), "not a PNG signature");
        using var bitmap = SKBitmap.Decode(png) ?? throw new Xunit.Sdk.XunitException("PNG does not decode");
        var colors = new HashSet<uint>();
        long ink = 0;
        foreach (var c in bitmap.Pixels)
        {
            colors.Add((uint)c);
            if (c.Red < 235 || c.Green < 235 || c.Blue < 235) ink++;
        }
        return new PngProbe(bitmap.Width, bitmap.Height, colors.Count, (double)ink / (bitmap.Width * bitmap.Height));
    }
}
