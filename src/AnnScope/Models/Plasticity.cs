namespace AnnScope.Models;

/// <summary>How the plastic matrix A learns (science.md §2); config files and the command line spell them anti, hebb, free and none.</summary>
public enum Plasticity
{
    /// <summary>η = −exp θ with θ trainable: anti-Hebbian, the study's variant (the default).</summary>
    Anti = 0,
    /// <summary>η = +exp θ with θ trainable: Hebbian.</summary>
    Hebb = 1,
    /// <summary>η itself trainable, sign unconstrained.</summary>
    Free = 2,
    /// <summary>No plasticity: A stays 0, a plain feed-forward network.</summary>
    None = 3,
}

/// <summary>The floating-point type the trainer computes in.</summary>
public enum NumericPrecision
{
    /// <summary>float32, the study's and the default.</summary>
    Float32 = 0,
    /// <summary>float64, for reference comparisons.</summary>
    Float64 = 1,
}
