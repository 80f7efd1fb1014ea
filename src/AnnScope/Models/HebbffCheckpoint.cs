namespace AnnScope.Models;

/// <summary>
/// The evaluation of every instance's test sequence after <see cref="Epoch"/> epochs, A reset to 0:
/// pre-activations a(t) (instances, T, M) — the quantity every analysis uses — optionally h(t), the outputs
/// ŷ(t) (instances, T), and each instance's metrics. <see cref="TrainLoss"/> is the loss of the training
/// epoch that produced these parameters (NaN at epoch 0).
/// </summary>
public sealed class HebbffCheckpoint
{
    internal HebbffCheckpoint(int epoch, int instances, int length, int hidden, float[] activations, float[]? hiddenActivity,
        float[] outputs, HebbffMetrics[] metrics, double[] trainLoss)
    {
        Epoch = epoch;
        Instances = instances;
        Length = length;
        Hidden = hidden;
        Activations = activations;
        HiddenActivity = hiddenActivity;
        Outputs = outputs;
        Metrics = metrics;
        TrainLoss = trainLoss;
    }

    /// <summary>Epochs completed when this checkpoint was taken.</summary>
    public int Epoch { get; }

    /// <summary>Number of instances.</summary>
    public int Instances { get; }

    /// <summary>T of the test sequence.</summary>
    public int Length { get; }

    /// <summary>M.</summary>
    public int Hidden { get; }

    /// <summary>a(t), (instances, T, M), float32.</summary>
    public float[] Activations { get; }

    /// <summary>h(t) = σ(a(t)), (instances, T, M), when requested.</summary>
    public float[]? HiddenActivity { get; }

    /// <summary>ŷ(t), (instances, T).</summary>
    public float[] Outputs { get; }

    /// <summary>Per-instance metrics.</summary>
    public IReadOnlyList<HebbffMetrics> Metrics { get; }

    /// <summary>Per-instance training loss of the epoch that led here (NaN at epoch 0).</summary>
    public IReadOnlyList<double> TrainLoss { get; }

    /// <summary>Instance <paramref name="instance"/>'s a(t) as (T, M).</summary>
    public ReadOnlySpan<float> ActivationsOf(int instance) =>
        Activations.AsSpan(instance * Length * Hidden, Length * Hidden);
}
