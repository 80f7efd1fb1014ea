namespace AnnScope.Statistics;

/// <summary>
/// The data of a mixed model reduced group by group. Each group's rows [X y] (X = intercept and covariates) are
/// rotated by Givens rotations into a (p+1)×(p+1) upper-triangular R_i with R_i'R_i = [X y]'[X y]; every
/// quantity of the profiled criterion depends on the data only through these blocks, so one pass over the data
/// makes each later evaluation O(groups). Residual norms are taken from R_i (no cancellation of large sums).
/// </summary>
internal sealed class GroupedDesign
{
    internal GroupedDesign(MixedModelData data, RandomEffects structure, int slopeCovariate)
    {
        P = data.CovariateNames.Count + 1;
        K = P + 1;
        Q = structure.Size();
        G = data.GroupCount;
        N = data.ObservationCount;
        Structure = structure;
        if (structure != RandomEffects.InterceptOnly && (slopeCovariate < 0 || slopeCovariate >= data.CovariateNames.Count))
            throw new ArgumentException($"random slope covariate index {slopeCovariate} is out of range");
        RandomColumns = Q == 1 ? [0] : [0, 1 + slopeCovariate];
        R = new double[G * K * K];
        GroupSizes = new int[G];

        var row = new double[K];
        var y = data.Response;
        var groups = data.GroupIndex;
        for (int i = 0; i < N; i++)
        {
            row[0] = 1;
            for (int c = 1; c < P; c++) row[c] = data.Covariate(c - 1)[i];
            row[P] = y[i];
            int g = groups[i];
            GroupSizes[g]++;
            RotateIn(R.AsSpan(g * K * K, K * K), row);
        }

        ZtZ = new double[G * Q * Q];
        ZtX = new double[G * Q * P];
        Zty = new double[G * Q];
        XtX = new double[P * P];
        Xty = new double[P];
        for (int g = 0; g < G; g++)
        {
            var r = R.AsSpan(g * K * K, K * K);
            for (int a = 0; a < K; a++)
            for (int b = 0; b < K; b++)
            {
                double s = 0;
                for (int j = 0; j <= Math.Min(a, b); j++) s += r[j * K + a] * r[j * K + b];
                if (a < P && b < P) XtX[a * P + b] += s;
                if (a < P && b == P) Xty[a] += s;
            }
            for (int a = 0; a < Q; a++)
            {
                int za = RandomColumns[a];
                for (int b = 0; b < K; b++)
                {
                    double s = 0;
                    for (int j = 0; j <= Math.Min(za, b); j++) s += r[j * K + za] * r[j * K + b];
                    if (b < P) ZtX[(g * Q + a) * P + b] = s;
                    else Zty[g * Q + a] = s;
                }
                for (int b = 0; b < Q; b++) ZtZ[(g * Q + a) * Q + b] = ZtX[(g * Q + a) * P + RandomColumns[b]];
            }
        }
    }

    /// <summary>Fixed effects (intercept first), columns of [X y], random effects per group, groups, observations.</summary>
    internal int P { get; }
    internal int K { get; }
    internal int Q { get; }
    internal int G { get; }
    internal int N { get; }
    internal RandomEffects Structure { get; }

    /// <summary>Columns of X that carry a random effect: the intercept, then the slope covariate.</summary>
    internal int[] RandomColumns { get; }
    internal int[] GroupSizes { get; }

    /// <summary>Per group, row-major upper-triangular K×K factor of [X y].</summary>
    internal double[] R { get; }
    internal double[] ZtZ { get; }
    internal double[] ZtX { get; }
    internal double[] Zty { get; }
    internal double[] XtX { get; }
    internal double[] Xty { get; }

    /// <summary>Adds one row to an upper-triangular factor by Givens rotations (the row is overwritten).</summary>
    private static void RotateIn(Span<double> r, Span<double> row)
    {
        int k = row.Length;
        for (int j = 0; j < k; j++)
        {
            double v = row[j];
            if (v == 0) continue;
            double d = r[j * k + j];
            double h = Math.Sqrt(d * d + v * v);
            double c = d / h, s = v / h;
            r[j * k + j] = h;
            for (int l = j + 1; l < k; l++)
            {
                double t = r[j * k + l];
                r[j * k + l] = c * t + s * row[l];
                row[l] = c * row[l] - s * t;
            }
        }
    }
}
