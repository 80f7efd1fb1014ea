namespace AnnScope.Statistics;

/// <summary>
/// lme4's profiled criterion for y = Xβ + ZΛu + ε, u ~ N(0, σ²I), evaluated from the per-group blocks of a
/// <see cref="GroupedDesign"/> by penalised least squares:
/// A_i = Λ'Z_i'Z_iΛ + I = L_iL_i', R_ZX,i = L_i⁻¹Λ'Z_i'X_i, c_u,i = L_i⁻¹Λ'Z_i'y_i,
/// R_X'R_X = X'X − Σ R_ZX,i'R_ZX,i, β = (R_X'R_X)⁻¹(X'y − Σ R_ZX,i'c_u,i), u_i = L_i⁻ᵀ(c_u,i − R_ZX,i β),
/// pwrss = ‖y − Xβ − ZΛu‖² + ‖u‖², ldL2 = Σ log|A_i|, ldRX2 = log|R_X'R_X|;
/// ML deviance ldL2 + n(1 + log(2π pwrss/n)); REML criterion ldL2 + ldRX2 + (n−p)(1 + log(2π pwrss/(n−p))).
/// The gradient in θ is analytic: with S = Σ_i [Z_i'V_i⁻¹Z_i − (REML) N_iPN_i' − κ w_iw_i'] (V = I + ZΛΛ'Z',
/// N_i = Z_i'V_i⁻¹X_i, P = (R_X'R_X)⁻¹, w_i = Z_i'e_i, κ = (n−p or n)/pwrss), ∂/∂θ_k = 2(Λ'S)[c_k, r_k] for the
/// θ at (r_k, c_k) of Λ, using Λ'Z'V⁻¹Z = A⁻¹Λ'Z'Z and Λ'w_i = u_i. Not thread-safe (it owns a workspace).
/// </summary>
internal sealed class ProfiledCriterion
{
    private readonly GroupedDesign d;
    private readonly (int Row, int Col)[] positions;
    private readonly double[] lambda, la, rzx, cu, u, rxtrx, lx, beta, rhs, xtvxInverse, lts;
    private readonly double[] t1, ltzx, vec, coef, rho, w, b2, nmat, b1, b2p;

    internal ProfiledCriterion(GroupedDesign design)
    {
        d = design;
        positions = design.Structure.ThetaPositions();
        int q = d.Q, pp = d.P, g = d.G;
        lambda = new double[q * q];
        la = new double[g * q * q];
        rzx = new double[g * q * pp];
        cu = new double[g * q];
        u = new double[g * q];
        rxtrx = new double[pp * pp];
        lx = new double[pp * pp];
        beta = new double[pp];
        rhs = new double[pp];
        xtvxInverse = new double[pp * pp];
        lts = new double[q * q];
        t1 = new double[q * q];
        ltzx = new double[q * pp];
        vec = new double[Math.Max(q, pp)];
        coef = new double[pp];
        rho = new double[d.K];
        w = new double[q];
        b2 = new double[q * pp];
        nmat = new double[q * pp];
        b1 = new double[q * q];
        b2p = new double[q * pp];
    }

    internal int ThetaCount => positions.Length;
    internal GroupedDesign Design => d;

    // State of the last evaluation.
    internal double Ldl2 { get; private set; }
    internal double LdRX2 { get; private set; }
    internal double Wrss { get; private set; }
    internal double Ussq { get; private set; }
    internal double Pwrss => Wrss + Ussq;
    internal ReadOnlySpan<double> Beta => beta;

    /// <summary>Spherical random effects u (G×q) of the last evaluation.</summary>
    internal ReadOnlySpan<double> U => u;

    /// <summary>Λ of the last evaluation (q×q, row-major, lower triangular).</summary>
    internal ReadOnlySpan<double> Lambda => lambda;

    /// <summary>Criterion at θ; with a non-empty <paramref name="gradient"/> also its gradient.</summary>
    internal double Evaluate(ReadOnlySpan<double> theta, bool reml, Span<double> gradient = default)
    {
        Solve(theta);
        double crit = Criterion(reml);
        if (!gradient.IsEmpty) Gradient(reml, gradient);
        return crit;
    }

    /// <summary>The criterion from the last <see cref="Solve"/>.</summary>
    internal double Criterion(bool reml)
    {
        int n = d.N;
        double dof = reml ? n - d.P : n;
        double c = Ldl2 + dof * (1 + Math.Log(2 * Math.PI * Pwrss / dof));
        return reml ? c + LdRX2 : c;
    }

    /// <summary>
    /// lmerTest's non-profiled deviance at (θ, σ): ldL2 + pwrss/σ² + n log(2πσ²), REML adding
    /// ldRX2 − p log(2πσ²).
    /// </summary>
    internal double Deviance(ReadOnlySpan<double> theta, double sigma, bool reml)
    {
        Solve(theta);
        double s2 = sigma * sigma;
        double dev = Ldl2 + Pwrss / s2 + d.N * Math.Log(2 * Math.PI * s2);
        return reml ? dev + LdRX2 - d.P * Math.Log(2 * Math.PI * s2) : dev;
    }

    /// <summary>(R_X'R_X)⁻¹ of the last evaluation: Cov(β̂)/σ².</summary>
    internal void UnscaledCovariance(Span<double> result)
    {
        int pp = d.P;
        for (int a = 0; a < pp; a++)
        {
            for (int b = 0; b < pp; b++) vec[b] = a == b ? 1 : 0;
            SmallDense.CholeskySolve(lx, pp, vec.AsSpan(0, pp));
            for (int b = 0; b < pp; b++) result[b * pp + a] = vec[b];
        }
    }

    /// <summary>Penalised least squares at θ: fills β, u, pwrss, ldL2, ldRX2.</summary>
    internal void Solve(ReadOnlySpan<double> theta)
    {
        if (theta.Length != positions.Length)
            throw new ArgumentException($"θ has {theta.Length} values, the model has {positions.Length}");
        int q = d.Q, pp = d.P;
        Array.Clear(lambda);
        for (int j = 0; j < positions.Length; j++) lambda[positions[j].Row * q + positions[j].Col] = theta[j];

        Array.Copy(d.XtX, rxtrx, pp * pp);
        Array.Copy(d.Xty, rhs, pp);
        double ldl2 = 0;
        for (int g = 0; g < d.G; g++)
        {
            var zz = d.ZtZ.AsSpan(g * q * q, q * q);
            var zx = d.ZtX.AsSpan(g * q * pp, q * pp);
            var zy = d.Zty.AsSpan(g * q, q);
            var l = la.AsSpan(g * q * q, q * q);
            var rz = rzx.AsSpan(g * q * pp, q * pp);
            var c = cu.AsSpan(g * q, q);
            // t1 = Λ'Z'Z, A = t1 Λ + I
            for (int a = 0; a < q; a++)
            for (int b = 0; b < q; b++)
            {
                double s = 0;
                for (int e = 0; e < q; e++) s += lambda[e * q + a] * zz[e * q + b];
                t1[a * q + b] = s;
            }
            for (int a = 0; a < q; a++)
            for (int b = 0; b < q; b++)
            {
                double s = a == b ? 1 : 0;
                for (int e = 0; e < q; e++) s += t1[a * q + e] * lambda[e * q + b];
                l[a * q + b] = s;
            }
            SmallDense.Cholesky(l, q);
            for (int a = 0; a < q; a++) ldl2 += 2 * Math.Log(l[a * q + a]);
            // R_ZX = L⁻¹ Λ'Z'X, c_u = L⁻¹ Λ'Z'y
            for (int a = 0; a < q; a++)
            {
                for (int b = 0; b < pp; b++)
                {
                    double s = 0;
                    for (int e = 0; e < q; e++) s += lambda[e * q + a] * zx[e * pp + b];
                    rz[a * pp + b] = s;
                }
                double sy = 0;
                for (int e = 0; e < q; e++) sy += lambda[e * q + a] * zy[e];
                c[a] = sy;
            }
            for (int b = 0; b < pp; b++) SmallDense.ForwardSolveColumn(l, q, rz, pp, b);
            SmallDense.ForwardSolve(l, q, c);
            for (int a = 0; a < pp; a++)
            {
                for (int b = 0; b < pp; b++)
                {
                    double s = 0;
                    for (int e = 0; e < q; e++) s += rz[e * pp + a] * rz[e * pp + b];
                    rxtrx[a * pp + b] -= s;
                }
                double sy = 0;
                for (int e = 0; e < q; e++) sy += rz[e * pp + a] * c[e];
                rhs[a] -= sy;
            }
        }
        Ldl2 = ldl2;
        Array.Copy(rxtrx, lx, pp * pp);
        if (!SmallDense.TryCholesky(lx, pp))
            throw new ArithmeticException("the fixed-effect design is rank deficient (a covariate is constant or collinear)");
        double ldrx2 = 0;
        for (int a = 0; a < pp; a++) ldrx2 += 2 * Math.Log(lx[a * pp + a]);
        LdRX2 = ldrx2;
        Array.Copy(rhs, beta, pp);
        SmallDense.CholeskySolve(lx, pp, beta);

        double wrss = 0, ussq = 0;
        for (int g = 0; g < d.G; g++)
        {
            var l = la.AsSpan(g * q * q, q * q);
            var rz = rzx.AsSpan(g * q * pp, q * pp);
            var ug = u.AsSpan(g * q, q);
            for (int a = 0; a < q; a++)
            {
                double s = cu[g * q + a];
                for (int b = 0; b < pp; b++) s -= rz[a * pp + b] * beta[b];
                ug[a] = s;
            }
            SmallDense.BackSolve(l, q, ug);
            for (int a = 0; a < q; a++) ussq += ug[a] * ug[a];
            wrss += ResidualNorm(g, ug);
        }
        Wrss = wrss;
        Ussq = ussq;
        if (!(Pwrss > 0) || !double.IsFinite(Pwrss))
            throw new ArithmeticException("the penalised residual sum of squares is zero: the response is constant or fitted exactly");
    }

    /// <summary>‖y_i − X_i(β + E b_i)‖² from R_i, leaving the rotated residual in <c>rho</c>.</summary>
    private double ResidualNorm(int g, ReadOnlySpan<double> ug)
    {
        int q = d.Q, pp = d.P, k = d.K;
        Array.Copy(beta, coef, pp);
        for (int a = 0; a < q; a++)
        {
            double s = 0;
            for (int e = 0; e <= a; e++) s += lambda[a * q + e] * ug[e];
            coef[d.RandomColumns[a]] += s;
        }
        var r = d.R.AsSpan(g * k * k, k * k);
        double norm = 0;
        for (int a = 0; a < k; a++)
        {
            double s = r[a * k + pp];
            for (int b = a; b < pp; b++) s -= r[a * k + b] * coef[b];
            rho[a] = s;
            norm += s * s;
        }
        return norm;
    }

    private void Gradient(bool reml, Span<double> gradient)
    {
        int q = d.Q, pp = d.P, k = d.K;
        if (gradient.Length != positions.Length) throw new ArgumentException("gradient length does not match θ");
        if (reml) UnscaledCovariance(xtvxInverse);
        double kappa = (reml ? d.N - pp : d.N) / Pwrss;
        Array.Clear(lts);
        for (int g = 0; g < d.G; g++)
        {
            var zz = d.ZtZ.AsSpan(g * q * q, q * q);
            var zx = d.ZtX.AsSpan(g * q * pp, q * pp);
            var l = la.AsSpan(g * q * q, q * q);
            var rz = rzx.AsSpan(g * q * pp, q * pp);
            var ug = u.AsSpan(g * q, q);
            // b1 = A⁻¹ Λ'Z'Z (= Λ'Z'V⁻¹Z)
            for (int a = 0; a < q; a++)
            for (int b = 0; b < q; b++)
            {
                double s = 0;
                for (int e = 0; e < q; e++) s += lambda[e * q + a] * zz[e * q + b];
                t1[a * q + b] = s;
                b1[a * q + b] = s;
            }
            for (int b = 0; b < q; b++)
            {
                SmallDense.ForwardSolveColumn(l, q, b1, q, b);
                SmallDense.BackSolveColumn(l, q, b1, q, b);
            }
            for (int i = 0; i < q * q; i++) lts[i] += b1[i];
            if (reml)
            {
                // b2 = A⁻¹Λ'Z'X = L⁻ᵀ R_ZX (= Λ'N), N = Z'X − (Λ'Z'Z)' b2
                Array.Copy(rzx, g * q * pp, b2, 0, q * pp);
                for (int b = 0; b < pp; b++) SmallDense.BackSolveColumn(l, q, b2, pp, b);
                for (int a = 0; a < q; a++)
                for (int b = 0; b < pp; b++)
                {
                    double s = zx[a * pp + b];
                    for (int e = 0; e < q; e++) s -= t1[e * q + a] * b2[e * pp + b];
                    nmat[a * pp + b] = s;
                }
                // lts −= b2 P N'
                for (int a = 0; a < q; a++)
                for (int b = 0; b < pp; b++)
                {
                    double s = 0;
                    for (int e = 0; e < pp; e++) s += b2[a * pp + e] * xtvxInverse[e * pp + b];
                    b2p[a * pp + b] = s;
                }
                for (int a = 0; a < q; a++)
                for (int b = 0; b < q; b++)
                {
                    double s = 0;
                    for (int e = 0; e < pp; e++) s += b2p[a * pp + e] * nmat[b * pp + e];
                    lts[a * q + b] -= s;
                }
            }
            // w = Z'e from the rotated residual; lts −= κ u w'
            ResidualNorm(g, ug);
            var r = d.R.AsSpan(g * k * k, k * k);
            for (int a = 0; a < q; a++)
            {
                int za = d.RandomColumns[a];
                double s = 0;
                for (int j = 0; j <= za; j++) s += r[j * k + za] * rho[j];
                w[a] = s;
            }
            for (int a = 0; a < q; a++)
            for (int b = 0; b < q; b++)
                lts[a * q + b] -= kappa * ug[a] * w[b];
        }
        for (int j = 0; j < positions.Length; j++)
            gradient[j] = 2 * lts[positions[j].Col * q + positions[j].Row];
    }
}
