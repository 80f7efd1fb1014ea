namespace AnnScope.Tests.Support;

/// <summary>Locates the repository root (the folder with Core.sln) and the test fixtures inside it.</summary>
public static class Repo
{
    public static string Root { get; } = FindRoot();

    /// <summary>tests/fixtures/&lt;parts&gt; in the repository (see tests/fixtures/README.md).</summary>
    public static string Fixture(params string[] parts) =>
        Path.Combine([Path.Combine(Root, "tests", "fixtures"), .. parts]);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Core.sln"))) return dir.FullName;
        throw new InvalidOperationException("tests must run inside the repository (Core.sln not found above the test binaries)");
    }
}
