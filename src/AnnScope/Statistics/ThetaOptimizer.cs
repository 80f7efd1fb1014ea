using MathNet.Numerics.LinearAlgebra;
using Vector = MathNet.Numerics.LinearAlgebra.Vector<double>;

namespace AnnScope.Statistics;

/// <summary>
/// Minimises the profiled criterion over θ by Newton's method: analytic gradient, Hessian by central differences
/// of the gradient, eigenvalues replaced by their magnitudes (floored) so every step descends, Armijo
/// backtracking. θ is optimised without bounds: the criterion depends on Λ only through ΛΛ', so flipping the
/// sign of a column of Λ changes nothing and the result is mapped afterwards to lme4's representative (non-negative
/// diagonal). Newton converges quadratically, so the optimum is reached to the criterion's rounding level,
/// well inside lme4's own optimizer spread.
/// Searching without bounds also avoids a trap of lme4's bounded search: with the intercept's Λ11 held at ≥ 0,
/// lme4's optimizers can stop at Λ11 = 0 when the better optimum lies across a sign flip of the first column
/// (seen on data with a strongly non-centred covariate). There this fit has the higher likelihood and differs
/// from lme4's reported (singular) fit; on the fixture datasets and data generated like them they agree.
/// </summary>
internal static class ThetaOptimizer
{
    internal sealed record Result(double[] Theta, double Criterion, int Evaluations, int Iterations, bool Converged);

    private const int MaxIterations = 200;

    internal static Result Minimize(ProfiledCriterion criterion, bool reml, ReadOnlySpan<double> start)
    {
        int k = start.Length;
        var theta = start.ToArray();
        var trial = new double[k];
        var g = new double[k];
        var gTrial = new double[k];
        var gp = new double[k];
        var gm = new double[k];
        var h = new double[k, k];
        int evaluations = 1;
        double f = criterion.Evaluate(theta, reml, g);
        bool converged = false;
        int iteration = 0;
        for (; iteration < MaxIterations && !converged; iteration++)
        {
            // Hessian by central differences of the analytic gradient
            double scale = 1e-3;
            foreach (var t in theta) scale = Math.Max(scale, Math.Abs(t));
            for (int j = 0; j < k; j++)
            {
                double hj = 1e-6 * Math.Max(Math.Abs(theta[j]), 1e-2 * scale);
                theta.CopyTo(trial, 0);
                trial[j] = theta[j] + hj;
                criterion.Evaluate(trial, reml, gp);
                trial[j] = theta[j] - hj;
                criterion.Evaluate(trial, reml, gm);
                evaluations += 2;
                for (int i = 0; i < k; i++) h[i, j] = (gp[i] - gm[i]) / (2 * hj);
            }
            var hm = Matrix<double>.Build.DenseOfArray(h);
            hm = (hm + hm.Transpose()) * 0.5;
            var evd = hm.Evd(Symmetricity.Symmetric);
            var values = evd.EigenValues.Map(c => c.Real);
            double largest = values.AbsoluteMaximum();
            double floor = Math.Max(largest * 1e-10, 1e-300);
            var vectors = evd.EigenVectors;
            var gv = Vector.Build.DenseOfArray(g);
            var coords = vectors.TransposeThisAndMultiply(gv);
            for (int i = 0; i < k; i++) coords[i] /= Math.Max(Math.Abs(values[i]), floor);
            var direction = -(vectors * coords);
            double slope = direction.DotProduct(gv);
            double decrement = -slope;
            if (!(decrement > 1e-16 * (1 + Math.Abs(f))))
            {
                converged = true;
                break;
            }

            double alpha = 1;
            bool accepted = false;
            double fTrial = f;
            for (int ls = 0; ls < 60; ls++)
            {
                for (int i = 0; i < k; i++) trial[i] = theta[i] + alpha * direction[i];
                fTrial = criterion.Evaluate(trial, reml, gTrial);
                evaluations++;
                if (fTrial <= f + 1e-4 * alpha * slope)
                {
                    accepted = true;
                    break;
                }
                // at the rounding floor no step can show a decrease: Newton's estimate says we are there
                if (decrement < 1e-11 * (1 + Math.Abs(f))) break;
                alpha *= 0.5;
            }
            if (!accepted)
            {
                converged = decrement < 1e-8 * (1 + Math.Abs(f));
                break;
            }
            double moved = 0, size = 0;
            for (int i = 0; i < k; i++)
            {
                moved = Math.Max(moved, Math.Abs(trial[i] - theta[i]));
                size = Math.Max(size, Math.Abs(trial[i]));
            }
            trial.CopyTo(theta, 0);
            gTrial.CopyTo(g, 0);
            f = fTrial;
            if (moved <= 1e-14 * (1 + size)) converged = true;
        }
        // make sure the state of the criterion is the one at θ
        f = criterion.Evaluate(theta, reml);
        evaluations++;
        return new Result(theta, f, evaluations, iteration, converged);
    }
}
