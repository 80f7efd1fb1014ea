using AnnScope.Connectivity;
using AnnScope.Statistics;
using MathNet.Numerics.LinearAlgebra;

namespace AnnScope.Tests.Statistics;

public class CheckpointMeasuresTests
{
    /// <summary>T×M activations, unit j ~ N(mean, sd[j]²) independently.</summary>
    private static float[] Gaussian(int seed, int samples, double mean, params double[] sd)
    {
        var rng = new Random(seed);
        var a = new float[samples * sd.Length];
        for (int t = 0; t < samples; t++)
        for (int j = 0; j < sd.Length; j++)
            a[t * sd.Length + j] = (float)(mean + sd[j] * Simulated.Normal(rng));
        return a;
    }

    [Fact]
    public void MomentsOfHandCheckableValues()
    {
        var m = PooledMoments.Of([1.0, 2, 3, 4]);
        Assert.Equal(2.5, m.Mean);
        Assert.Equal(Math.Sqrt(5.0 / 3), m.Std, 14);
        Assert.Equal(2.5625 / 1.5625, m.Kurtosis, 14);
        Assert.Equal(0, m.Skewness, 14);
        var skewed = PooledMoments.Of([1f, 2, 3, 10]);
        Assert.Equal(45 / Math.Pow(12.5, 1.5), skewed.Skewness, 12);
        Assert.Equal(348.5 / 156.25, skewed.Kurtosis, 12);
        Assert.True(double.IsNaN(PooledMoments.Of([2.0, 2, 2]).Kurtosis));
    }

    [Fact]
    public void GaussianActivationsHaveTheClosedFormMomentsAndEntropy()
    {
        // independent units: H = Σ_j ½ ln(2πe σ_j²); pooled equal-variance Gaussians: kurtosis 3, skewness 0
        double[] sd = [1, 2, 0.5, 3];
        var a = Gaussian(1, 40000, 0, sd);
        var measures = CheckpointMeasures.Compute(a, 40000, 4);
        double expected = sd.Sum(s => 0.5 * Math.Log(2 * Math.PI * Math.E * s * s));
        Assert.True(measures.Entropy.PositiveDefinite);
        Assert.Equal(expected, measures.Entropy.Value, 0.02); // sampling error of ln det: about √(2M/T) = 0.014
        var same = CheckpointMeasures.Compute(Gaussian(2, 40000, 1.5, 2, 2, 2), 40000, 3);
        Assert.Equal(1.5, same.Moments.Mean, 0.02);
        Assert.Equal(2, same.Moments.Std, 0.02);
        Assert.Equal(3, same.Moments.Kurtosis, 0.05);   // SE √(24/n) = 0.014
        Assert.Equal(0, same.Moments.Skewness, 0.03);   // SE √(6/n) = 0.007
        Assert.Equal(0, same.MeanCorrelation, 0.02);
    }

    [Fact]
    public void EntropyEqualsTheManagedReferenceCovarianceAndAnLuDeterminant()
    {
        var rng = new Random(3);
        int t = 500, m = 12;
        var mixing = Matrix<double>.Build.Dense(m, m, (_, _) => Simulated.Normal(rng));
        var z = Matrix<double>.Build.Dense(t, m, (_, _) => Simulated.Normal(rng));
        var x = z * mixing;
        var a = Enumerable.Range(0, t * m).Select(i => (float)x[i / m, i % m]).ToArray();
        var measures = CheckpointMeasures.Compute(a, t, m);

        var cov = new double[m * m];
        FunctionalConnectivityReference.Covariance<double>(a.Select(v => (double)v).ToArray(), new SeriesShape(1, t, m), t, cov);
        var det = Math.Log(Matrix<double>.Build.DenseOfRowMajor(m, m, cov).LU().Determinant);
        double expected = 0.5 * det + 0.5 * m * (1 + Math.Log(2 * Math.PI));
        Assert.Equal(expected, measures.Entropy.Value, 9);
        Assert.Equal(0, measures.Entropy.Ridge);
        Assert.Equal(0, measures.ConstantUnits);
    }

    [Fact]
    public void NonPositiveDefiniteCovarianceGetsTheDocumentedRidgeOrNaN()
    {
        // unit 2 duplicates unit 0: Σ is singular
        var a = Gaussian(4, 300, 0, 1, 1, 1, 1);
        for (int t = 0; t < 300; t++) a[t * 4 + 2] = a[t * 4];
        var robust = CheckpointMeasures.Compute(a, 300, 4);
        Assert.False(robust.Entropy.PositiveDefinite);
        Assert.True(robust.Entropy.Ridge > 0);
        Assert.True(double.IsFinite(robust.Entropy.Value));
        Assert.Equal(0, robust.ConstantUnits);
        var paper = CheckpointMeasures.Compute(a, 300, 4, options: CheckpointMeasureOptions.Paper);
        Assert.False(paper.Entropy.PositiveDefinite);
        Assert.True(double.IsNaN(paper.Entropy.Value));

        // a constant unit: counted, zero variance, zero correlations
        var c = Gaussian(5, 300, 0, 1, 1, 1, 1);
        for (int t = 0; t < 300; t++) c[t * 4 + 1] = 0.25f;
        var withConstant = CheckpointMeasures.Compute(c, 300, 4);
        Assert.Equal(1, withConstant.ConstantUnits);
        Assert.False(withConstant.Entropy.PositiveDefinite);
        // the ridge is 1e-10 × the mean variance times a power of ten
        var cov = new double[16];
        FunctionalConnectivityReference.Covariance<double>(c.Select(v => (double)v).ToArray(), new SeriesShape(1, 300, 4), 300, cov);
        double meanVariance = (cov[0] + cov[5] + cov[10] + cov[15]) / 4;
        double steps = Math.Log10(withConstant.Entropy.Ridge / (1e-10 * meanVariance));
        Assert.Equal(Math.Round(steps), steps, 6);
    }

    [Fact]
    public void GaussianEntropyOfAKnownCovariance()
    {
        double[] sigma = [4, 1, 0, 1, 2, 0, 0, 0, 9];
        var h = GaussianEntropy.FromCovariance(sigma, 3);
        double logDet = Math.Log(4 * 2 * 9 - 1 * 9);
        Assert.Equal(0.5 * logDet + 1.5 * (1 + Math.Log(2 * Math.PI)), h.Value, 13);
        var singular = GaussianEntropy.FromCovariance([1, 1, 1, 1], 2, NonPositiveDefinitePolicy.Ridge);
        Assert.Equal(1e-10, singular.Ridge);
        // det(Σ + δI) = 2δ + δ²; the factorisation of a matrix this close to singular loses about 7 digits
        Assert.Equal(0.5 * Math.Log(2 * 1e-10 + 1e-20) + (1 + Math.Log(2 * Math.PI)), singular.Value, 6);
    }

    [Fact]
    public void NativeLogDeterminantMatchesTheManagedReference()
    {
        using var context = new ComputeContext(ComputeBackend.Mkl, 1);
        double[] sigma = [4, 1, 0, 1, 2, 0, 0, 0, 9];
        Assert.Equal(GaussianEntropy.FromCovariance(sigma, 3).Value, GaussianEntropy.FromCovariance(sigma, 3, context: context).Value, 13);

        // a study-sized covariance with a constant unit: both paths take the same ridge step
        var a = Gaussian(12, 400, 1, Enumerable.Range(0, 30).Select(j => j == 7 ? 0 : 0.5 + 0.05 * j).ToArray());
        var cov = new double[30 * 30];
        FunctionalConnectivityReference.Covariance<double>(a.Select(v => (double)v).ToArray(), new SeriesShape(1, 400, 30), 400, cov);
        var managed = GaussianEntropy.FromCovariance(cov, 30);
        var native = GaussianEntropy.FromCovariance(cov, 30, context: context);
        Assert.False(native.PositiveDefinite);
        Assert.Equal(managed.Ridge, native.Ridge);
        Assert.Equal(managed.Value, native.Value, 6);
        Assert.True(double.IsNaN(GaussianEntropy.FromCovariance(cov, 30, NonPositiveDefinitePolicy.NaN, context).Value));
    }

    [Fact]
    public void NativeSingularValuesMatchTheManagedReference()
    {
        using var context = new ComputeContext(ComputeBackend.Mkl, 1);
        var a = Gaussian(13, 500, 0, Enumerable.Range(0, 60).Select(j => 1 + 0.02 * j).ToArray());
        var rng = new Random(14);
        for (int t = 0; t < 500; t++)
        {
            double common = Simulated.Normal(rng);
            for (int j = 0; j < 60; j++) a[t * 60 + j] += (float)((j % 3 - 1) * common); // anticorrelated groups
        }
        var fc = new double[60 * 60];
        FunctionalConnectivityReference.Pearson<double>(a.Select(v => (double)v).ToArray(), new SeriesShape(1, 500, 60), 500, fc);
        var managed = Synchronisation.FromCorrelation(fc, 60);
        var native = Synchronisation.FromCorrelation(fc, 60, context);
        for (int i = 0; i < 60; i++) Assert.Equal(managed.SingularValues[i], native.SingularValues[i], 12);
        Assert.Equal(managed.Pc1Ratio, native.Pc1Ratio, 12);
        Assert.Equal(managed.Full, native.Full, 9);
        Assert.Equal(managed.Partial, native.Partial, 9);
    }

    [Fact]
    public void MeanCorrelationOverPairsAndThePaperMask()
    {
        double[] fc = [1, 0.2, 0.4, 0.2, 1, 0.6, 0.4, 0.6, 1];
        Assert.Equal(0.4, CorrelationEntries.Mean(fc, 3, CorrelationPairs.UpperTriangle), 14);
        Assert.Equal(5.0 / 8, CorrelationEntries.Mean(fc, 3, CorrelationPairs.PaperMask), 14);
        Assert.Equal([0.2, 0.4, 0.6], CorrelationEntries.Select(fc, 3, CorrelationPairs.UpperTriangle));
    }

    [Fact]
    public void SynchronisationOfABlockCorrelationMatrix()
    {
        // blocks of 3 (ρ = 0.5) and 2 (ρ = 0.2): eigenvalues 2, 0.5, 0.5 and 1.2, 0.8
        int m = 5;
        var c = new double[m * m];
        for (int i = 0; i < m; i++)
        for (int j = 0; j < m; j++)
            c[i * m + j] = i == j ? 1 : i < 3 && j < 3 ? 0.5 : i >= 3 && j >= 3 ? 0.2 : 0;
        var s = Synchronisation.FromCorrelation(c, m);
        double[] expected = [2, 1.2, 0.8, 0.5, 0.5];
        for (int i = 0; i < m; i++) Assert.Equal(expected[i], s.SingularValues[i], 12);
        Assert.Equal(0.4, s.Pc1Ratio, 12);
        Assert.Equal(1 / SampleSd(expected), s.Full, 10);
        Assert.Equal(1 / SampleSd(expected[1..]), s.Partial, 10);
    }

    private static double SampleSd(double[] v)
    {
        double mean = v.Average();
        return Math.Sqrt(v.Sum(x => (x - mean) * (x - mean)) / (v.Length - 1));
    }

    [Fact]
    public void HistogramFollowsNumpyBinning()
    {
        var h = Histogram.Count([-1, -0.5, 0, 0.99, 1, 1.5, -2], 4, -1, 1);
        Assert.Equal([1L, 1, 1, 2], h.Counts);
        Assert.Equal(1, h.Below);
        Assert.Equal(1, h.Above);
        Assert.Equal([-1, -0.5, 0, 0.5, 1], h.Edges());
        Assert.Throws<ArgumentException>(() => Histogram.Count([1.0], 0, 0, 1));
        Assert.Throws<ArgumentException>(() => Histogram.Count([1.0], 3, 1, 1));
    }

    [Fact]
    public void OneCallGivesEveryMeasureAndReusesAGivenFc()
    {
        var a = Gaussian(6, 2500, 0, Enumerable.Range(0, 40).Select(j => 1 + 0.1 * j).ToArray());
        // correlate the units through a common signal
        var rng = new Random(9);
        for (int t = 0; t < 2500; t++)
        {
            float common = (float)(3 * Simulated.Normal(rng));
            for (int j = 0; j < 40; j++) a[t * 40 + j] += common;
        }
        var fc = new float[40 * 40];
        FunctionalConnectivity.Pearson(a, new SeriesShape(1, 2500, 40), 2500, fc);
        var computed = CheckpointMeasures.Compute(a, 2500, 40);
        var given = CheckpointMeasures.Compute(a, 2500, 40, fc);
        Assert.Equal(computed.MeanCorrelation, given.MeanCorrelation, 5);
        Assert.Equal(computed.Synchronisation.Pc1Ratio, given.Synchronisation.Pc1Ratio, 5);
        Assert.Equal(computed.Entropy, given.Entropy);

        // against the managed reference FC in double precision
        var reference = new double[40 * 40];
        FunctionalConnectivityReference.Pearson<double>(a.Select(v => (double)v).ToArray(), new SeriesShape(1, 2500, 40), 2500, reference);
        Assert.Equal(CorrelationEntries.Mean(reference, 40, CorrelationPairs.UpperTriangle), computed.MeanCorrelation, 10);
        var sync = Synchronisation.FromCorrelation(reference, 40);
        Assert.Equal(sync.Pc1Ratio, computed.Synchronisation.Pc1Ratio, 10);
        Assert.Equal(sync.Partial, computed.Synchronisation.Partial, 6);
        Assert.Equal(Histogram.Count(CorrelationEntries.Select(reference, 40, CorrelationPairs.UpperTriangle), 20, -1, 1).Counts,
            computed.CorrelationHistogram.Counts);
        Assert.Equal(40 * 39 / 2, computed.CorrelationHistogram.Counts.Sum());
        var moments = PooledMoments.Of(a);
        Assert.Equal(moments, computed.Moments);
        Assert.Equal(Histogram.Count(a, 20, -40, 40).Counts, computed.ActivationHistogram.Counts);
        Assert.Equal(2500 * 40, computed.ActivationHistogram.Counts.Sum() + computed.ActivationHistogram.Below + computed.ActivationHistogram.Above);
        // a strong common signal: the first component dominates
        Assert.True(computed.Synchronisation.Pc1Ratio > 0.4);
        Assert.True(computed.Synchronisation.Full < computed.Synchronisation.Partial);
    }

    [Fact]
    public void BadActivationsGiveClearErrors()
    {
        Assert.Throws<ArgumentException>(() => CheckpointMeasures.Compute(new float[10], 5, 3));
        Assert.Throws<ArgumentException>(() => CheckpointMeasures.Compute(new float[12], 4, 3, new float[4]));
        var nan = Gaussian(7, 10, 0, 1, 1, 1);
        nan[7] = float.NaN;
        Assert.Throws<ArithmeticException>(() => CheckpointMeasures.Compute(nan, 10, 3));
    }
}
