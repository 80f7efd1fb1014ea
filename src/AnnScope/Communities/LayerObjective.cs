using System.Text.Json.Serialization;

namespace AnnScope.Communities;

/// <summary>
/// The null model that turns one layer's connectivity A into its modularity matrix B (science.md §5); config files
/// and the command line spell them signed-split, pos, sym and asym.
/// </summary>
public enum LayerNullModel
{
    /// <summary>
    /// The study's signed split: B = [A⁺ − γ⁺k⁺k⁺ᵀ/2m⁺] − [A⁻ − γ⁻k⁻k⁻ᵀ/2m⁻], a term taken as 0 when its 2m is 0;
    /// Q is normalised by 2m⁺ + 2m⁻.
    /// </summary>
    [JsonStringEnumMemberName("signed-split")] SignedSplit,

    /// <summary>Classic Newman–Girvan on the positive part only: B = A⁺ − γ⁺k⁺k⁺ᵀ/2m⁺, Q normalised by 2m⁺.</summary>
    [JsonStringEnumMemberName("pos")] Positive,

    /// <summary>Brain Connectivity Toolbox <c>negative_sym</c>: B = (B⁺ − B⁻)/(v⁺ + v⁻), already normalised.</summary>
    [JsonStringEnumMemberName("sym")] NegativeSymmetric,

    /// <summary>Brain Connectivity Toolbox <c>negative_asym</c>: B = B⁺/v⁺ − B⁻/(v⁺ + v⁻), already normalised.</summary>
    [JsonStringEnumMemberName("asym")] NegativeAsymmetric,
}

/// <summary>
/// How one layer's modularity matrix is built from its connectivity: the null model, the resolutions γ⁺ (positive
/// part) and γ⁻ (negative part), and whether the connectivity diagonal is kept (the study's choice: a unit's
/// self-correlation of 1 enters the positive part as a self-loop) or zeroed (common practice, and the fixtures').
/// </summary>
public sealed record LayerObjective(
    LayerNullModel NullModel = LayerNullModel.SignedSplit,
    double GammaPositive = 1.0,
    double GammaNegative = 1.0,
    bool ZeroDiagonal = false)
{
    /// <summary>The study's objective: signed split, γ⁺ = 1.02, γ⁻ = 1, diagonal kept.</summary>
    public static LayerObjective Study { get; } = new(LayerNullModel.SignedSplit, 1.02, 1.0, ZeroDiagonal: false);

    /// <summary>The classic objective of Mucha et al. and of the community fixtures: positive part, γ = 1, zero diagonal.</summary>
    public static LayerObjective Classic { get; } = new(LayerNullModel.Positive, 1.0, 1.0, ZeroDiagonal: true);

    internal void Validate()
    {
        if (!double.IsFinite(GammaPositive) || GammaPositive < 0)
            throw new ArgumentException($"γ⁺ must be a finite number >= 0, got {GammaPositive}");
        if (!double.IsFinite(GammaNegative) || GammaNegative < 0)
            throw new ArgumentException($"γ⁻ must be a finite number >= 0, got {GammaNegative}");
        if (!Enum.IsDefined(NullModel)) throw new ArgumentException($"unknown null model {NullModel}");
    }
}
