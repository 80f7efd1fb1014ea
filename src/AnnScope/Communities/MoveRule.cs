namespace AnnScope.Communities;

/// <summary>How a node chooses among the communities it could join (GenLouvain's <c>randmove</c>); config files and the
/// command line spell them move, moverand and moverandw.</summary>
public enum MoveRule
{
    /// <summary>The largest gain (classic Louvain; the study's rule).</summary>
    Move,

    /// <summary>Uniformly at random among the moves with a positive gain.</summary>
    MoveRand,

    /// <summary>At random among the moves with a positive gain, with probability proportional to the gain.</summary>
    MoveRandW,
}
