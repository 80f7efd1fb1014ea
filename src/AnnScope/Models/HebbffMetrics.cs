namespace AnnScope.Models;

/// <summary>
/// One instance's evaluation of its test sequence (science.md §3). Prediction "familiar" when ŷ &gt; 0.5.
/// <see cref="Tpr"/> = P(pred familiar | familiar), <see cref="Fpr"/> = P(pred familiar | novel),
/// <see cref="BalancedAccuracy"/> = (TPR + 1 − FPR)/2, <see cref="PaperAccuracy"/> = (1 − f)·TPR + f·(1 − FPR)
/// with f the familiar fraction (the study's plotted score: "always novel" gets about 1/3). A rate with no
/// cases is NaN, and so is every figure using it. <see cref="Loss"/> is the mean binary cross-entropy;
/// <see cref="Lambda"/> and <see cref="Eta"/> are the values the sequence ran with.
/// </summary>
public readonly record struct HebbffMetrics(
    double Loss, double Accuracy, double Tpr, double Fpr, double BalancedAccuracy, double PaperAccuracy,
    double FamiliarFraction, double Lambda, double Eta)
{
    /// <summary>The metrics of outputs ŷ against labels y (the definition the native kernel implements).</summary>
    public static HebbffMetrics Of(ReadOnlySpan<double> outputs, ReadOnlySpan<float> labels, double lambda, double eta)
    {
        if (outputs.Length != labels.Length || outputs.Length == 0)
            throw new ArgumentException($"outputs ({outputs.Length}) and labels ({labels.Length}) must be non-empty and equally long");
        int familiar = 0, hits = 0, falseAlarms = 0, correct = 0;
        double logLikelihood = 0;
        for (int t = 0; t < outputs.Length; t++)
        {
            bool predicted = outputs[t] > 0.5, actual = labels[t] == 1;
            familiar += actual ? 1 : 0;
            hits += predicted && actual ? 1 : 0;
            falseAlarms += predicted && !actual ? 1 : 0;
            correct += predicted == actual ? 1 : 0;
            logLikelihood += labels[t] * ClampedLog(outputs[t]) + (1 - labels[t]) * ClampedLog1m(outputs[t]);
        }
        int novel = outputs.Length - familiar;
        double tpr = familiar > 0 ? hits / (double)familiar : double.NaN;
        double fpr = novel > 0 ? falseAlarms / (double)novel : double.NaN;
        double f = familiar / (double)outputs.Length;
        return new HebbffMetrics(-logLikelihood / outputs.Length, correct / (double)outputs.Length, tpr, fpr, (tpr + 1 - fpr) / 2,
            (1 - f) * tpr + f * (1 - fpr), f, lambda, eta);
    }

    /// <summary>log p clamped at ≥ −100, as PyTorch's binary cross-entropy does.</summary>
    internal static double ClampedLog(double p) => Math.Max(Math.Log(p), -100);

    /// <summary>log(1 − p) clamped at ≥ −100.</summary>
    internal static double ClampedLog1m(double p) => Math.Max(Math.Log(1 - p), -100);
}
