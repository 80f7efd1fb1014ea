namespace AnnScope.Tasks;

/// <summary>Which of an instance's two independent sequences.</summary>
public enum SequenceRole
{
    /// <summary>The sequence the network is trained on every epoch.</summary>
    Train = 0,
    /// <summary>The held-out sequence every checkpoint is evaluated on.</summary>
    Test = 1,
}
