namespace AnnScope.Tests.Models;

/// <summary>Compute contexts shared by the model tests: one thread and two threads.</summary>
public static class Contexts
{
    public static ComputeContext Single { get; } = new(ComputeBackend.Mkl, 1);
    public static ComputeContext Two { get; } = new(ComputeBackend.Mkl, 2);
}
