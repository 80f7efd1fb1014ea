namespace AnnScope.Models;

/// <summary>
/// The plain, obviously-correct managed reference of <see cref="HebbffTrainer"/> for one instance in float64:
/// science.md §2–3 written out loop by loop. It stores every A(t) (T·M·N values), so it is for tests and
/// benchmarks, not for training at scale.
/// </summary>
internal static class HebbffReference
{
    /// <summary>What one pass over a sequence produced: loss, ŷ(t) (T), a(t) and h(t) (T, M), the gradient (packed; null
    /// when not asked for), and the λ and η the sequence ran with.</summary>
    public sealed record Pass(double Loss, double[] Outputs, double[] Activations, double[] Hidden, double[]? Gradient, double Lambda,
        double Eta);

    /// <summary>
    /// Runs one instance over x (T, N), y (T) from A = 0 with the packed <paramref name="parameters"/> (λ is clamped
    /// to [0, 1] in place first, as the trainer does), and with <paramref name="gradient"/> backpropagates through
    /// all T steps. A(0)…A(T) are kept in <paramref name="history"/> when given (at least T + 1 slots, each filled
    /// with an M·N array on first use and overwritten by later calls): a caller that times the reference passes the
    /// same one every call, because allocated afresh, the T·M·N doubles (240 MB at the benchmarks' T 2500, N 100,
    /// M 120) made the time depend on how much of them the GC had handed back to the OS since the previous call
    /// (0 to 60,000 page faults, 0.39 to 1.4 s per call).
    /// </summary>
    public static Pass Run(Span<double> parameters, ReadOnlySpan<double> x, ReadOnlySpan<double> y, HebbffLayout layout,
        Plasticity plasticity, bool gradient = true, double[][]? history = null)
    {
        int n = layout.InputDim, m = layout.Hidden, steps = y.Length;
        if (parameters.Length != layout.Count) throw new ArgumentException($"parameters must hold {layout.Count} values, got {parameters.Length}");
        if (steps == 0 || x.Length != (long)steps * n) throw new ArgumentException($"x must be (T, {n}) for T = {steps} labels, got {x.Length} values");
        var p = parameters;
        p[layout.Lambda] = Math.Clamp(p[layout.Lambda], 0, 1);
        double lambda = p[layout.Lambda], eta = HebbffLayout.Eta(plasticity, p[layout.EtaParameter]);
        bool plastic = plasticity != Plasticity.None;

        var plasticState = history ?? new double[steps + 1][]; // A(t) for every t
        if (plasticState.Length < steps + 1) throw new ArgumentException($"history must hold {steps + 1} states, got {plasticState.Length}");
        double[] State(int t) => plasticState[t]?.Length == m * n ? plasticState[t] : plasticState[t] = new double[m * n];
        Array.Clear(State(0));
        var a = new double[steps * m];
        var h = new double[steps * m];
        var outputs = new double[steps];
        double logLikelihood = 0;
        for (int t = 0; t < steps; t++)
        {
            var at = plasticState[t];
            for (int i = 0; i < m; i++)
            {
                double s = 0;
                for (int j = 0; j < n; j++) s += (p[layout.W1 + i * n + j] + at[i * n + j]) * x[t * n + j];
                a[t * m + i] = s + p[layout.B1 + i];
                h[t * m + i] = Sigmoid(a[t * m + i]);
            }
            var next = State(t + 1);
            if (plastic)
                for (int i = 0; i < m; i++)
                for (int j = 0; j < n; j++)
                    next[i * n + j] = lambda * at[i * n + j] + eta * h[t * m + i] * x[t * n + j];
            else
                Array.Clear(next);
            double z = p[layout.B2];
            for (int i = 0; i < m; i++) z += p[layout.W2 + i] * h[t * m + i];
            outputs[t] = Sigmoid(z);
            logLikelihood += y[t] * HebbffMetrics.ClampedLog(outputs[t]) + (1 - y[t]) * HebbffMetrics.ClampedLog1m(outputs[t]);
        }
        double loss = -logLikelihood / steps;
        if (!gradient) return new Pass(loss, outputs, a, h, null, lambda, eta);

        // backward: G holds dL/dA(t+1) while step t is processed
        var g = new double[layout.Count];
        var dA = new double[m * n];
        var v = new double[m];
        var delta = new double[m];
        double dLambda = 0, dEta = 0;
        for (int t = steps - 1; t >= 0; t--)
        {
            double dz = (outputs[t] - y[t]) / steps;
            g[layout.B2] += dz;
            for (int i = 0; i < m; i++) g[layout.W2 + i] += dz * h[t * m + i];
            for (int i = 0; i < m; i++)
            {
                v[i] = 0;
                for (int j = 0; j < n; j++) v[i] += dA[i * n + j] * x[t * n + j];
            }
            for (int i = 0; i < m; i++)
            {
                double hi = h[t * m + i];
                double dh = dz * p[layout.W2 + i] + (plastic ? eta * v[i] : 0);
                delta[i] = dh * hi * (1 - hi);
                g[layout.B1 + i] += delta[i];
                for (int j = 0; j < n; j++) g[layout.W1 + i * n + j] += delta[i] * x[t * n + j];
            }
            if (!plastic) continue;
            for (int k = 0; k < m * n; k++) dLambda += dA[k] * plasticState[t][k];
            for (int i = 0; i < m; i++) dEta += h[t * m + i] * v[i];
            for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
                dA[i * n + j] = lambda * dA[i * n + j] + delta[i] * x[t * n + j];
        }
        g[layout.Lambda] = dLambda;
        g[layout.EtaParameter] = plasticity is Plasticity.Anti or Plasticity.Hebb ? dEta * eta : dEta; // dη/dθ = η
        return new Pass(loss, outputs, a, h, g, lambda, eta);
    }

    /// <summary>
    /// PyTorch's Adam step (no weight decay, no amsgrad) for step count <paramref name="step"/> (≥ 1):
    /// m ← m + (1−β₁)(g − m), v ← β₂v + (1−β₂)g², p ← p − lr/(1−β₁ᵗ) · m / (√v / √(1−β₂ᵗ) + ε).
    /// </summary>
    public static void AdamStep(Span<double> parameters, Span<double> m, Span<double> v, ReadOnlySpan<double> gradient, long step,
        double learningRate = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(step, 1);
        if (m.Length != parameters.Length || v.Length != parameters.Length || gradient.Length != parameters.Length)
            throw new ArgumentException("parameters, moments and gradient must have the same length");
        double stepSize = learningRate / (1 - Math.Pow(beta1, step)), correction = Math.Sqrt(1 - Math.Pow(beta2, step));
        for (int k = 0; k < parameters.Length; k++)
        {
            m[k] += (1 - beta1) * (gradient[k] - m[k]);
            v[k] = v[k] * beta2 + (1 - beta2) * (gradient[k] * gradient[k]);
            parameters[k] -= stepSize * (m[k] / (Math.Sqrt(v[k]) / correction + epsilon));
        }
    }

    private static double Sigmoid(double a) => 1 / (1 + Math.Exp(-a));
}
