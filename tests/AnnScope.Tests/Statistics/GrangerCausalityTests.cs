using AnnScope.Statistics;

namespace AnnScope.Tests.Statistics;

public class GrangerCausalityTests
{
    /// <summary>x an AR(1) series; y follows x one step later: x → y, not y → x.</summary>
    private static (double[] X, double[] Y) Driven(int seed, int n, double coupling = 0.8)
    {
        var rng = new Random(seed);
        var x = new double[n];
        var y = new double[n];
        for (int t = 1; t < n; t++)
        {
            x[t] = 0.5 * x[t - 1] + Simulated.Normal(rng);
            y[t] = 0.3 * y[t - 1] + coupling * x[t - 1] + 0.5 * Simulated.Normal(rng);
        }
        return (x, y);
    }

    /// <summary>RSS by the normal equations, solved by Gauss–Jordan: the plain reference for the QR in the test.</summary>
    private static double ReferenceRss(double[] y, double[] x, int start, int p, bool withCause)
    {
        var rows = Enumerable.Range(start, y.Length - start).Select(t =>
            new[] { 1.0 }.Concat(Enumerable.Range(1, p).Select(l => y[t - l])).Concat(withCause ? Enumerable.Range(1, p).Select(l => x[t - l]) : []).ToArray()).ToArray();
        int k = rows[0].Length;
        var a = new double[k, k + 1];
        for (int r = 0; r < rows.Length; r++)
            for (int i = 0; i < k; i++)
            {
                for (int j = 0; j < k; j++) a[i, j] += rows[r][i] * rows[r][j];
                a[i, k] += rows[r][i] * y[start + r];
            }
        for (int c = 0; c < k; c++)
        {
            double pivot = a[c, c];
            for (int j = 0; j <= k; j++) a[c, j] /= pivot;
            for (int i = 0; i < k; i++)
                if (i != c)
                {
                    double f = a[i, c];
                    for (int j = 0; j <= k; j++) a[i, j] -= f * a[c, j];
                }
        }
        return rows.Select((row, r) => y[start + r] - row.Select((v, j) => v * a[j, k]).Sum()).Sum(e => e * e);
    }

    [Fact]
    public void FindsTheDirectionOfADrivenSeries()
    {
        var (x, y) = Driven(1, 120);
        var options = new GrangerOptions { Differences = 0 };
        var forward = GrangerCausality.Test(x, y, options)!;
        var reverse = GrangerCausality.Test(y, x, options)!;
        Assert.True(forward.PValue < 1e-6, $"x → y p {forward.PValue}");
        Assert.True(reverse.PValue > 0.01, $"y → x p {reverse.PValue}");
        Assert.InRange(forward.Lag, 1, 3);
    }

    [Fact]
    public void FStatisticMatchesTheNormalEquations()
    {
        var (x, y) = Driven(2, 60, coupling: 0.3);
        var test = GrangerCausality.Test(x, y, new GrangerOptions { Differences = 0, MaxLag = 2 })!;
        int p = test.Lag;
        double ru = ReferenceRss(y, x, p, p, withCause: true), rr = ReferenceRss(y, x, p, p, withCause: false);
        int df2 = y.Length - p - 2 * p - 1;
        Assert.Equal(df2, test.Df2);
        Assert.Equal((rr - ru) / p / (ru / df2), test.F, 8);
        Assert.Equal(1 - MathNet.Numerics.Distributions.FisherSnedecor.CDF(p, df2, test.F), test.PValue, 10);
    }

    [Fact]
    public void DifferencedIndependentRandomWalksShowNoCausation()
    {
        // independent random walks (unit roots): differenced, the test keeps its level over many pairs
        var tests = Enumerable.Range(0, 60).Select(s =>
        {
            var rng = new Random(100 + s);
            double[] Walk()
            {
                var w = new double[80];
                for (int t = 1; t < w.Length; t++) w[t] = w[t - 1] + Simulated.Normal(rng);
                return w;
            }
            return GrangerCausality.Test(Walk(), Walk());
        }).ToArray();
        var combined = GrangerCausality.Combine(tests);
        Assert.Equal(60, combined.Tested);
        Assert.True(combined.Significant <= 9, $"{combined.Significant} of 60 pairs significant at 0.05");
        Assert.True(combined.StoufferP > 0.001, $"combined p {combined.StoufferP}");
    }

    [Fact]
    public void CombinesByStoufferAndFisher()
    {
        var tests = new GrangerTest?[] { new(1, 0, 1, 10, 0.01, 12), new(1, 0, 1, 10, 0.5, 12), null };
        var c = GrangerCausality.Combine(tests);
        Assert.Equal(2, c.Tested);
        Assert.Equal(1, c.Untestable);
        Assert.Equal(1, c.Significant);
        double z = (2.3263478740408408 + 0) / Math.Sqrt(2);
        Assert.Equal(z, c.StoufferZ, 6);
        Assert.Equal(-2 * (Math.Log(0.01) + Math.Log(0.5)), c.FisherChiSquared, 10);
    }

    [Fact]
    public void ShortOrConstantSeriesAreUntestable()
    {
        Assert.Null(GrangerCausality.Test([1.0, 2, 3, 4, 5], [2.0, 1, 3, 5, 4]));
        var constant = Enumerable.Repeat(1.0, 40).ToArray();
        var (x, _) = Driven(3, 40);
        Assert.Null(GrangerCausality.Test(x, constant));
        Assert.Throws<ArgumentException>(() => GrangerCausality.Test(x, x.Take(10).ToArray()));
    }
}
