using AnnScope.Tasks;

namespace AnnScope.Models;

/// <summary>
/// Everything that defines a batch of HebbFF training runs (science.md §1–3). Defaults are the study's:
/// N 100, M 120, R 5, P 0.5, T 2500, 120 instances, 1000 epochs, a checkpoint every 10 epochs, anti-Hebbian,
/// Adam (lr 1e-3, β 0.9/0.999, ε 1e-8), float32. <see cref="Validate"/> runs before any native work.
/// </summary>
public sealed record HebbffConfig
{
    /// <summary>N, the item dimension.</summary>
    public int InputDim { get; init; } = 100;

    /// <summary>M, hidden units.</summary>
    public int Hidden { get; init; } = 120;

    /// <summary>R, the repeat interval of the familiarity task.</summary>
    public int RepeatInterval { get; init; } = 5;

    /// <summary>P, the repeat probability.</summary>
    public double RepeatProbability { get; init; } = 0.5;

    /// <summary>T, the length of every training and test sequence.</summary>
    public int Length { get; init; } = 2500;

    /// <summary>Allow repeats of repeats in the task.</summary>
    public bool MultiRep { get; init; }

    /// <summary>Every instance trains and tests on the same pair of sequences (instance 0's) instead of its own.</summary>
    public bool SharedData { get; init; }

    /// <summary>Independent networks trained side by side.</summary>
    public int Instances { get; init; } = 120;

    /// <summary>
    /// The study-wide index of this batch's first instance: batch instance b is instance FirstInstance + b, whose
    /// sequences and initial parameters derive from (seed, FirstInstance + b). A shard of a study trains a
    /// contiguous range of instances with exactly the numbers the whole study gives them.
    /// </summary>
    public int FirstInstance { get; init; }

    /// <summary>Epochs (Adam steps on the whole training sequence) per instance.</summary>
    public int Epochs { get; init; } = 1000;

    /// <summary>k: the test sequence is evaluated at epoch 0 and every k epochs.</summary>
    public int CheckpointEvery { get; init; } = 10;

    /// <summary>The plasticity rule.</summary>
    public Plasticity Plasticity { get; init; } = Plasticity.Anti;

    /// <summary>Seed of every sequence and initial parameter.</summary>
    public ulong Seed { get; init; }

    /// <summary>Adam's learning rate.</summary>
    public double LearningRate { get; init; } = 1e-3;

    /// <summary>Adam's β₁.</summary>
    public double Beta1 { get; init; } = 0.9;

    /// <summary>Adam's β₂.</summary>
    public double Beta2 { get; init; } = 0.999;

    /// <summary>Adam's ε.</summary>
    public double Epsilon { get; init; } = 1e-8;

    /// <summary>float32 (the study's) or float64.</summary>
    public NumericPrecision Precision { get; init; } = NumericPrecision.Float32;

    /// <summary>The familiarity task these settings describe.</summary>
    public FamiliarityTask Task => new()
    {
        InputDim = InputDim, RepeatInterval = RepeatInterval, RepeatProbability = RepeatProbability, Length = Length, MultiRep = MultiRep,
    };

    /// <summary>Checkpoint epochs: 0, k, 2k, … up to <see cref="Epochs"/>.</summary>
    public int CheckpointCount => Epochs / CheckpointEvery + 1;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first bad setting.</summary>
    public void Validate()
    {
        if (Hidden <= 0) throw new ArgumentException($"the number of hidden units M must be positive, got {Hidden}");
        Task.Validate();
        if (Instances <= 0) throw new ArgumentException($"the number of instances must be positive, got {Instances}");
        if (FirstInstance < 0) throw new ArgumentException($"the first instance must be >= 0, got {FirstInstance}");
        if (Epochs < 0) throw new ArgumentException($"the number of epochs must be >= 0, got {Epochs}");
        if (CheckpointEvery <= 0) throw new ArgumentException($"the checkpoint interval k must be positive, got {CheckpointEvery}");
        if (!Enum.IsDefined(Plasticity)) throw new ArgumentException($"unknown plasticity mode {(int)Plasticity}");
        if (!Enum.IsDefined(Precision)) throw new ArgumentException($"unknown precision {(int)Precision}");
        if (!(double.IsFinite(LearningRate) && LearningRate >= 0))
            throw new ArgumentException($"the learning rate must be finite and >= 0, got {LearningRate}");
        if (!(Beta1 >= 0 && Beta1 < 1) || !(Beta2 >= 0 && Beta2 < 1))
            throw new ArgumentException($"Adam's betas must be in [0, 1), got ({Beta1}, {Beta2})");
        if (!(double.IsFinite(Epsilon) && Epsilon > 0)) throw new ArgumentException($"Adam's epsilon must be finite and > 0, got {Epsilon}");
        if ((long)Instances * Length * Math.Max(InputDim, Hidden) > Array.MaxLength)
            throw new ArgumentException(
                $"{Instances} instances of {Length} steps × {Math.Max(InputDim, Hidden)} values do not fit one batch; use fewer instances per trainer");
    }
}
