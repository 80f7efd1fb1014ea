namespace AnnScope.Benchmarks;

/// <summary>Locates the repository (the folder holding Core.sln) above the benchmark's binaries.</summary>
public static class RepositoryFile
{
    /// <summary>The repository root.</summary>
    public static string Root()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Core.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException("the benchmarks must run inside the repository (Core.sln not found above their binaries)");
    }
}
