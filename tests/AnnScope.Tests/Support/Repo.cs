namespace AnnScope.Tests.Support;

/// <summary>Locates the repository root (the folder with Core.sln) and the shared fixtures beside it.</summary>
public static class Repo
{
    public static string Root { get; } = FindRoot();

    /// <summary>../shared/fixtures/&lt;parts&gt; relative to the repository root.</summary>
    public static string Fixture(params string[] parts) =>
        Path.Combine([Path.GetFullPath(Path.Combine(Root, "..", "shared", "fixtures")), .. parts]);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Core.sln"))) return dir.FullName;
        throw new InvalidOperationException("tests must run inside the repository (Core.sln not found above the test binaries)");
    }
}
