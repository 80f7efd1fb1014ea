namespace AnnScope.Statistics;

/// <summary>
/// Numerical derivatives by central differences with Richardson extrapolation, the scheme of R's numDeriv that
/// lmerTest relies on: initial step h = |d·x| (+ eps where |x| &lt; zero tolerance), r = 4 halvings, and the
/// extrapolation D ← (4^m D(h/2) − D(h)) / (4^m − 1). Using the same steps as lmerTest (d = 0.1 for the Hessian,
/// 1e-4 for the Jacobian) keeps Satterthwaite degrees of freedom comparable to its values to the last digits
/// its own derivative error allows.
/// </summary>
internal static class RichardsonDerivatives
{
    private const double Eps = 1e-4;
    private const int Levels = 4;
    private static readonly double ZeroTolerance = Math.Sqrt(2.220446049250313e-16 / 7e-7);

    private static double[] InitialSteps(ReadOnlySpan<double> x, double d)
    {
        var h = new double[x.Length];
        for (int i = 0; i < x.Length; i++) h[i] = Math.Abs(d * x[i]) + (Math.Abs(x[i]) < ZeroTolerance ? Eps : 0);
        return h;
    }

    private static void Extrapolate(double[] a)
    {
        for (int m = 1; m < Levels; m++)
        {
            double f = Math.Pow(4, m);
            for (int k = 0; k < Levels - m; k++) a[k] = (a[k + 1] * f - a[k]) / (f - 1);
        }
    }

    /// <summary>Hessian of a scalar function (numDeriv's <c>hessian</c>, method Richardson, d = 0.1).</summary>
    internal static double[,] Hessian(Func<double[], double> f, ReadOnlySpan<double> x0)
    {
        int n = x0.Length;
        var x = x0.ToArray();
        double f0 = f(x);
        var h0 = InitialSteps(x0, 0.1);
        var diag = new double[n];
        var approx = new double[Levels];
        var point = new double[n];
        for (int i = 0; i < n; i++)
        {
            double h = h0[i];
            for (int k = 0; k < Levels; k++)
            {
                x.CopyTo(point, 0);
                point[i] = x[i] + h;
                double f1 = f(point);
                point[i] = x[i] - h;
                double f2 = f(point);
                approx[k] = (f1 - 2 * f0 + f2) / (h * h);
                h /= 2;
            }
            Extrapolate(approx);
            diag[i] = approx[0];
        }
        var hessian = new double[n, n];
        for (int i = 0; i < n; i++)
        {
            hessian[i, i] = diag[i];
            for (int j = 0; j < i; j++)
            {
                double hi = h0[i], hj = h0[j];
                for (int k = 0; k < Levels; k++)
                {
                    x.CopyTo(point, 0);
                    point[i] += hi;
                    point[j] += hj;
                    double f1 = f(point);
                    x.CopyTo(point, 0);
                    point[i] -= hi;
                    point[j] -= hj;
                    double f2 = f(point);
                    approx[k] = (f1 - 2 * f0 + f2 - diag[i] * hi * hi - diag[j] * hj * hj) / (2 * hi * hj);
                    hi /= 2;
                    hj /= 2;
                }
                Extrapolate(approx);
                hessian[i, j] = hessian[j, i] = approx[0];
            }
        }
        return hessian;
    }

    /// <summary>Jacobian of a vector function: result[output, input] (numDeriv's <c>jacobian</c>, d = 1e-4).</summary>
    internal static double[,] Jacobian(Func<double[], double[]> f, ReadOnlySpan<double> x0)
    {
        int n = x0.Length;
        var x = x0.ToArray();
        var h0 = InitialSteps(x0, 1e-4);
        double[,]? jacobian = null;
        var point = new double[n];
        double[][] approx = [];
        for (int i = 0; i < n; i++)
        {
            double h = h0[i];
            for (int k = 0; k < Levels; k++)
            {
                x.CopyTo(point, 0);
                point[i] = x[i] + h;
                var f1 = f(point);
                point[i] = x[i] - h;
                var f2 = f(point);
                if (jacobian is null)
                {
                    jacobian = new double[f1.Length, n];
                    approx = new double[f1.Length][];
                    for (int o = 0; o < f1.Length; o++) approx[o] = new double[Levels];
                }
                for (int o = 0; o < f1.Length; o++) approx[o][k] = (f1[o] - f2[o]) / (2 * h);
                h /= 2;
            }
            for (int o = 0; o < approx.Length; o++)
            {
                Extrapolate(approx[o]);
                jacobian![o, i] = approx[o][0];
            }
        }
        return jacobian ?? new double[0, n];
    }
}
