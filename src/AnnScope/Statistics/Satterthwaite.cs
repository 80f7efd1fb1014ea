using MathNet.Numerics.LinearAlgebra;
using Vector = MathNet.Numerics.LinearAlgebra.Vector<double>;

namespace AnnScope.Statistics;

/// <summary>
/// Satterthwaite degrees of freedom for each fixed effect, computed the way lmerTest 3.1 does it. With
/// varpar = (θ, σ): H = Hessian of the deviance in varpar (<see cref="ProfiledCriterion.Deviance"/>),
/// A = 2 H⁺ (pseudo-inverse over eigenvalues above 1e-8), C(varpar) = σ²(R_X'R_X)⁻¹(θ) and g_i = ∂(l'Cl)/∂varpar_i;
/// df = 2 (l'Cl)² / (g'Ag) for l the unit vector of the coefficient.
/// </summary>
internal static class Satterthwaite
{
    private const double EigenTolerance = 1e-8;

    internal static double[] DegreesOfFreedom(ProfiledCriterion criterion, ReadOnlySpan<double> theta, double sigma,
        bool reml, double[,] covariance, List<string> warnings)
    {
        int k = theta.Length, p = criterion.Design.P;
        var varpar = new double[k + 1];
        theta.CopyTo(varpar);
        varpar[k] = sigma;

        var hessian = RichardsonDerivatives.Hessian(v => criterion.Deviance(v.AsSpan(0, k), v[k], reml), varpar);
        var evd = Matrix<double>.Build.DenseOfArray(hessian).Evd(Symmetricity.Symmetric);
        var values = evd.EigenValues.Map(c => c.Real);
        int negative = values.Count(v => v < -EigenTolerance);
        int zero = values.Count(v => v >= -EigenTolerance && v <= EigenTolerance);
        if (negative > 0)
            warnings.Add($"Satterthwaite: the deviance Hessian has {negative} negative eigenvalue(s): the model may not have converged");
        if (zero > 0)
            warnings.Add($"Satterthwaite: the deviance Hessian has {zero} eigenvalue(s) close to zero");
        var a = Matrix<double>.Build.Dense(k + 1, k + 1);
        for (int e = 0; e < values.Count; e++)
        {
            if (!(values[e] > EigenTolerance)) continue;
            var v = evd.EigenVectors.Column(e);
            a += v.OuterProduct(v) * (2 / values[e]);
        }

        var unscaled = new double[p * p];
        var jacobian = RichardsonDerivatives.Jacobian(v =>
        {
            criterion.Solve(v.AsSpan(0, k));
            criterion.UnscaledCovariance(unscaled);
            double s2 = v[k] * v[k];
            var c = new double[p * p];
            for (int i = 0; i < c.Length; i++) c[i] = s2 * unscaled[i];
            return c;
        }, varpar);

        var df = new double[p];
        var grad = Vector.Build.Dense(k + 1);
        for (int j = 0; j < p; j++)
        {
            for (int i = 0; i <= k; i++) grad[i] = jacobian[j * p + j, i];
            double variance = covariance[j, j];
            double denominator = grad.DotProduct(a * grad);
            df[j] = 2 * variance * variance / denominator;
        }
        return df;
    }
}
