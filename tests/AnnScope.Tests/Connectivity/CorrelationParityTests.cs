using System.Numerics;
using AnnScope.Connectivity;
using AnnScope.Tests.Support;

namespace AnnScope.Tests.Connectivity;

/// <summary>
/// The same seeded inputs through every engine (managed reference, MKL, OpenCL) against the float64 managed
/// reference, and in float64 (the reference included) against MathNet.Numerics. Tolerances: float32 Pearson
/// |Δr| ≤ 2e-6 (float32 rounding of the centred, scaled data and float32 accumulation over up to 2,500 samples);
/// float32 covariance 2e-6 relative to the largest |cov|; float64 1e-13.
/// </summary>
public class CorrelationParityTests
{
    private const double Float32Tolerance = 2e-6, Float64Tolerance = 1e-13;

    internal static double[] Seeded(SeriesShape shape, int seed)
    {
        var rng = new Random(seed);
        var x = new double[shape.Length];
        double factor = 0;
        for (long i = 0; i < x.Length; i++)
        {
            // a shared factor per sample gives real, varied correlations; unit offsets make means differ
            if (i % shape.Units == 0) factor = rng.NextDouble() * 2 - 1;
            int unit = (int)(i % shape.Units);
            x[i] = rng.NextDouble() * 2 - 1 + factor * unit / shape.Units + 0.3 * unit;
        }
        return x;
    }

    private static long Pearson<T>(Engine engine, ComputeContext? context, T[] x, SeriesShape shape, int window, T[] output)
        where T : struct, IFloatingPoint<T>
    {
        if (engine == Engine.Reference) return FunctionalConnectivityReference.Pearson<T>(x, shape, window, output);
        return x switch
        {
            float[] f => FunctionalConnectivity.Pearson(f, shape, window, (float[])(object)output, context),
            double[] d => FunctionalConnectivity.Pearson(d, shape, window, (double[])(object)output, context),
            _ => throw new NotSupportedException(),
        };
    }

    private static void Covariance<T>(Engine engine, ComputeContext? context, T[] x, SeriesShape shape, int window, T[] output)
        where T : struct, IFloatingPoint<T>
    {
        if (engine == Engine.Reference) FunctionalConnectivityReference.Covariance<T>(x, shape, window, output);
        else if (x is float[] f) FunctionalConnectivity.Covariance(f, shape, window, (float[])(object)output, context);
        else FunctionalConnectivity.Covariance((double[])(object)x, shape, window, (double[])(object)output, context);
    }

    [Theory]
    [OnEngine(Engine.Reference, 1, 60, 7, 60)]
    [OnEngine(Engine.Mkl, 1, 60, 7, 60)]
    [OnEngine(Engine.OpenCL, 1, 60, 7, 60)]
    [OnEngine(Engine.Mkl, 3, 300, 33, 50)]
    [OnEngine(Engine.OpenCL, 3, 300, 33, 50)]
    [OnEngine(Engine.Mkl, 2, 2500, 120, 50)]
    [OnEngine(Engine.OpenCL, 2, 2500, 120, 50)]
    [OnEngine(Engine.Mkl, 2, 2500, 120, 2500)]
    [OnEngine(Engine.OpenCL, 2, 2500, 120, 2500)]
    public void PearsonAndCovarianceMatchTheFloat64Reference(Engine engine, int batch, int samples, int units, int window)
    {
        using var context = OpenCLAvailability.Context(engine);
        var shape = new SeriesShape(batch, samples, units);
        var x = Seeded(shape, 11 + units);
        var xf = x.Select(v => (float)v).ToArray();
        var expected = new double[shape.MatricesLength(window)];
        FunctionalConnectivityReference.Pearson<double>(x, shape, window, expected);

        var r32 = new float[expected.Length];
        Assert.Equal(0, Pearson(engine, context, xf, shape, window, r32));
        AssertClose(expected, r32.Select(v => (double)v).ToArray(), Float32Tolerance, "float32 Pearson");

        var covExpected = new double[expected.Length];
        FunctionalConnectivityReference.Covariance<double>(x, shape, window, covExpected);
        var cov32 = new float[expected.Length];
        Covariance(engine, context, xf, shape, window, cov32);
        AssertClose(covExpected, cov32.Select(v => (double)v).ToArray(), Float32Tolerance * covExpected.Max(Math.Abs),
            "float32 covariance");

    }

    [Theory]
    [OnFloat64Engine(Engine.Reference, 1, 60, 7, 60)]
    [OnFloat64Engine(Engine.Mkl, 1, 60, 7, 60)]
    [OnFloat64Engine(Engine.OpenCL, 1, 60, 7, 60)]
    [OnFloat64Engine(Engine.Reference, 3, 300, 33, 50)]
    [OnFloat64Engine(Engine.Mkl, 3, 300, 33, 50)]
    [OnFloat64Engine(Engine.OpenCL, 3, 300, 33, 50)]
    [OnFloat64Engine(Engine.Mkl, 2, 2500, 120, 2500)]
    [OnFloat64Engine(Engine.OpenCL, 2, 2500, 120, 2500)]
    public void Float64PearsonAndCovarianceMatchAnIndependentComputation(Engine engine, int batch, int samples, int units, int window)
    {
        using var context = OpenCLAvailability.Context(engine);
        var shape = new SeriesShape(batch, samples, units);
        var x = Seeded(shape, 11 + units);
        var (expected, covExpected) = MathNetMatrices(x, shape, window);

        var r64 = new double[expected.Length];
        Pearson(engine, context, x, shape, window, r64);
        AssertClose(expected, r64, Float64Tolerance, "float64 Pearson");
        var cov64 = new double[expected.Length];
        Covariance(engine, context, x, shape, window, cov64);
        AssertClose(covExpected, cov64, Float64Tolerance * Math.Max(1, covExpected.Max(Math.Abs)), "float64 covariance");
    }

    /// <summary>
    /// Pearson r and sample covariance (n − 1) of every window by MathNet.Numerics, which shares no code with the
    /// managed reference or the kernels: what the float64 engines, the reference included, are held to.
    /// </summary>
    private static (double[] Pearson, double[] Covariance) MathNetMatrices(double[] x, SeriesShape shape, int window)
    {
        int m = shape.Units, windows = shape.Windows(window);
        var r = new double[shape.MatricesLength(window)];
        var cov = new double[r.Length];
        for (int b = 0; b < shape.Batch; b++)
        for (int w = 0; w < windows; w++)
        {
            var series = new double[m][];
            for (int j = 0; j < m; j++)
            {
                series[j] = new double[window];
                for (int t = 0; t < window; t++) series[j][t] = x[((long)b * shape.Samples + (long)w * window + t) * m + j];
            }
            long start = ((long)b * windows + w) * m * m;
            for (int i = 0; i < m; i++)
            for (int j = 0; j < m; j++)
            {
                r[start + i * m + j] = i == j ? 1 : MathNet.Numerics.Statistics.Correlation.Pearson(series[i], series[j]);
                cov[start + i * m + j] = MathNet.Numerics.Statistics.Statistics.Covariance(series[i], series[j]);
            }
        }
        return (r, cov);
    }

    [Theory]
    [OnEngine(Engine.Reference)]
    [OnEngine(Engine.Mkl)]
    [OnEngine(Engine.OpenCL)]
    public void ConstantUnitsAreCountedZeroedAndMatricesExactlySymmetric(Engine engine)
    {
        using var context = OpenCLAvailability.Context(engine);
        var shape = new SeriesShape(2, 80, 37);
        var x = Seeded(shape, 5).Select(v => (float)v).ToArray();
        for (int t = 0; t < 80; t++) x[t * 37 + 3] = 2.5f;              // series 0: unit 3 constant in both windows
        for (int t = 40; t < 80; t++) x[(80 + t) * 37 + 36] = -1f;       // series 1: unit 36 constant in window 1
        var r = new float[shape.MatricesLength(40)];
        Assert.Equal(3, Pearson(engine, context, x, shape, 40, r));
        Assert.DoesNotContain(r, float.IsNaN);
        for (int j = 0; j < 37; j++)
        {
            Assert.Equal(j == 3 ? 1f : 0f, r[3 * 37 + j]);
            Assert.Equal(j == 3 ? 1f : 0f, r[j * 37 + 3]);
            Assert.Equal(j == 36 ? 1f : 0f, r[3 * 37 * 37 + 36 * 37 + j]);
        }
        for (int m = 0; m < 4; m++)
        for (int i = 0; i < 37; i++)
        {
            Assert.Equal(1f, r[(m * 37 + i) * 37 + i]);
            for (int j = 0; j < i; j++) Assert.Equal(r[(m * 37 + i) * 37 + j], r[(m * 37 + j) * 37 + i]);
        }
    }

    [Theory]
    [OnEngine(Engine.Reference)]
    [OnEngine(Engine.Mkl)]
    [OnEngine(Engine.OpenCL)]
    public void NaNIsRefusedNamingSeriesAndWindow(Engine engine)
    {
        using var context = OpenCLAvailability.Context(engine);
        var shape = new SeriesShape(2, 30, 4);
        var x = Seeded(shape, 9).Select(v => (float)v).ToArray();
        x[(30 + 25) * 4 + 1] = float.NaN; // series 1, sample 25: window 2 of 10 samples
        var r = new float[shape.MatricesLength(10)];
        var e = Assert.Throws<ArithmeticException>(() => Pearson(engine, context, x, shape, 10, r));
        Assert.Contains("series 1, window 2", e.Message);
        x[(30 + 25) * 4 + 1] = 0.5f;
        // the context is still usable: the same call now gives the reference's matrices
        Assert.Equal(0, Pearson(engine, context, x, shape, 10, r));
        var expected = new double[r.Length];
        FunctionalConnectivityReference.Pearson<double>(x.Select(v => (double)v).ToArray(), shape, 10, expected);
        AssertClose(expected, r.Select(v => (double)v).ToArray(), Float32Tolerance, "Pearson after a refused call");
    }

    [OpenCLFact]
    public void OpenCLResultsAreRepeatableAndIndependentOfChunking()
    {
        var shape = new SeriesShape(5, 200, 70);
        var x = Seeded(shape, 3).Select(v => (float)v).ToArray();
        var whole = new float[shape.MatricesLength(20)];
        var again = new float[whole.Length];
        var chunked = new float[whole.Length];
        using (var context = OpenCLAvailability.Context(Engine.OpenCL))
        {
            FunctionalConnectivity.Pearson(x, shape, 20, whole, context);
            FunctionalConnectivity.Pearson(x, shape, 20, again, context);
        }
        // about 200 kB of device memory per call: the 50 windows run in several chunks
        using (var small = OpenCLAvailability.Context(Engine.OpenCL, deviceMemoryLimit: 200_000))
            FunctionalConnectivity.Pearson(x, shape, 20, chunked, small);
        Assert.Equal(whole, again);
        Assert.Equal(whole, chunked);
    }

    [OpenCLFact]
    public void TooLittleDeviceMemoryIsReportedWithTheSize()
    {
        using var context = OpenCLAvailability.Context(Engine.OpenCL, deviceMemoryLimit: 1000);
        var shape = new SeriesShape(1, 100, 20);
        var x = Seeded(shape, 1).Select(v => (float)v).ToArray();
        var e = Assert.Throws<ComputeDeviceException>(() =>
            FunctionalConnectivity.Pearson(x, shape, 50, new float[shape.MatricesLength(50)], context));
        Assert.Contains("out of device memory", e.Message);
        Assert.Contains("one window needs 9680 bytes", e.Message); // 2 · 50 · 20 · 4 + 20² · 4 + 20 · 4
    }

    internal static void AssertClose(double[] expected, double[] actual, double tolerance, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        int worst = 0;
        for (int i = 1; i < expected.Length; i++)
            if (Math.Abs(expected[i] - actual[i]) > Math.Abs(expected[worst] - actual[worst])) worst = i;
        double deviation = Math.Abs(expected[worst] - actual[worst]);
        Assert.True(deviation <= tolerance,
            $"{what}: largest deviation {deviation:E3} at {worst} (expected {expected[worst]}, got {actual[worst]}) > {tolerance:E3}");
    }
}
