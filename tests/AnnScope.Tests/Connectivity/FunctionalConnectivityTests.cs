using AnnScope.Connectivity;
using AnnScope.Tests.Support;

namespace AnnScope.Tests.Connectivity;

public class FunctionalConnectivityTests
{
    private static double[] Seeded(int n, int seed, int units)
    {
        var rng = new Random(seed);
        var x = new double[n];
        // a shared factor per sample gives the units real, varied correlations
        double factor = 0;
        for (int i = 0; i < n; i++)
        {
            if (i % units == 0) factor = rng.NextDouble() * 2 - 1;
            x[i] = rng.NextDouble() * 2 - 1 + factor * (i % units) / units;
        }
        return x;
    }

    [Theory]
    [InlineData(1, 60, 7, 60, 1)]
    [InlineData(3, 300, 17, 50, 2)]
    [InlineData(2, 200, 33, 20, 0)]
    public void NativeMatchesManagedReference(int batch, int samples, int units, int window, int threads)
    {
        using var context = new ComputeContext(ComputeBackend.Mkl, threads);
        var shape = new SeriesShape(batch, samples, units);
        var x = Seeded((int)shape.Length, 7 + units, units);
        var xf = x.Select(v => (float)v).ToArray();
        var expected = new double[shape.MatricesLength(window)];
        FunctionalConnectivityReference.Pearson<double>(x, shape, window, expected);

        var r64 = new double[expected.Length];
        var r32 = new float[expected.Length];
        Assert.Equal(0, FunctionalConnectivity.Pearson(x, shape, window, r64, context));
        FunctionalConnectivity.Pearson(xf, shape, window, r32, context);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], r64[i], 1e-13);
            Assert.Equal(expected[i], r32[i], 2e-6);
        }

        var cov = new double[expected.Length];
        var covRef = new double[expected.Length];
        FunctionalConnectivity.Covariance(x, shape, window, cov, context);
        FunctionalConnectivityReference.Covariance<double>(x, shape, window, covRef);
        for (int i = 0; i < cov.Length; i++) Assert.Equal(covRef[i], cov[i], 1e-13);
    }

    [Fact]
    public void PlantedFixtureWindowsMatchTo1e12()
    {
        // timeseries.f64 is units × samples; AnnScope's layout is samples × units
        var raw = RawFloat64.Read(Repo.Fixture("community", "planted120", "timeseries.f64"));
        const int units = 120, samples = 2500, window = 50;
        var x = new double[raw.Length];
        for (int u = 0; u < units; u++)
        for (int t = 0; t < samples; t++) x[t * units + u] = raw[u * samples + t];
        var shape = new SeriesShape(1, samples, units);

        var windows = new double[shape.MatricesLength(window)];
        FunctionalConnectivity.Pearson(x, shape, window, windows);
        var expected = RawFloat64.Read(Repo.Fixture("community", "planted120", "corr_windows.f64"));
        Assert.Equal(expected.Length, windows.Length);
        double worst = expected.Zip(windows, (e, a) => Math.Abs(e - a)).Max();
        Assert.True(worst <= 1e-12, $"largest deviation from corr_windows.f64: {worst:E3}");

        var full = new double[units * units];
        FunctionalConnectivity.Pearson(x, shape, samples, full);
        var expectedFull = RawFloat64.Read(Repo.Fixture("community", "planted120", "corr_full.f64"));
        Assert.True(expectedFull.Zip(full, (e, a) => Math.Abs(e - a)).Max() <= 1e-12);
    }

    [Fact]
    public void ConstantUnitsGetZeroRowsAndAreCounted()
    {
        var shape = new SeriesShape(2, 40, 5);
        var x = Seeded((int)shape.Length, 3, 5).Select(v => (float)v).ToArray();
        for (int t = 0; t < 40; t++) x[t * 5 + 3] = 2.5f;            // series 0: unit 3 constant everywhere
        for (int t = 0; t < 20; t++) x[(40 + t) * 5 + 0] = -1f;      // series 1: unit 0 constant in window 0 only
        var r = new float[shape.MatricesLength(20)];
        var reference = new float[r.Length];
        Assert.Equal(3, FunctionalConnectivity.Pearson(x, shape, 20, r));
        Assert.Equal(3, FunctionalConnectivityReference.Pearson<float>(x, shape, 20, reference));
        Assert.DoesNotContain(r, float.IsNaN);
        for (int j = 0; j < 5; j++) Assert.Equal(j == 3 ? 1f : 0f, r[3 * 5 + j]);
        for (int i = 0; i < r.Length; i++) Assert.Equal(reference[i], r[i], 2e-6f);
    }

    [Fact]
    public void BadInputIsRefusedWithClearMessages()
    {
        var shape = new SeriesShape(1, 30, 4);
        var x = new double[shape.Length];
        var output = new double[shape.MatricesLength(10)];
        var e = Assert.Throws<ArgumentException>(() => FunctionalConnectivity.Pearson(x, shape, 7, output));
        Assert.Contains("not a multiple", e.Message);
        e = Assert.Throws<ArgumentException>(() => FunctionalConnectivity.Pearson(x.AsSpan(1), shape, 10, output));
        Assert.Contains("needs 120", e.Message);
        e = Assert.Throws<ArgumentException>(() => FunctionalConnectivity.Pearson(x, shape, 10, output.AsSpan(1)));
        Assert.Contains("output holds", e.Message);
        Assert.Throws<ArgumentException>(() => FunctionalConnectivity.Pearson(x, shape with { Units = 0 }, 10, output));

        var rng = new Random(1);
        for (int i = 0; i < x.Length; i++) x[i] = rng.NextDouble();
        x[4 * 15 + 2] = double.NaN; // sample 15 is in window 1
        var nan = Assert.Throws<ArithmeticException>(() => FunctionalConnectivity.Pearson(x, shape, 10, output));
        Assert.Contains("window 1", nan.Message);
    }

    [Fact]
    public void ResultsDoNotDependOnThreadCount()
    {
        var shape = new SeriesShape(6, 200, 24);
        var x = Seeded((int)shape.Length, 11, 24).Select(v => (float)v).ToArray();
        using var one = new ComputeContext(ComputeBackend.Mkl, 1);
        using var two = new ComputeContext(ComputeBackend.Mkl, 2);
        var a = new float[shape.MatricesLength(50)];
        var b = new float[a.Length];
        FunctionalConnectivity.Pearson(x, shape, 50, a, one);
        FunctionalConnectivity.Pearson(x, shape, 50, b, two);
        Assert.Equal(a, b);
    }
}
