using AnnScope.Tests.Support;

namespace AnnScope.Tests.Packaging;

/// <summary>
/// The three packages packed once from the binaries under test into a temporary folder, with a version of their own
/// so nothing a consumer restores can be shadowed by an earlier pack in a NuGet cache; consumers restore into a
/// temporary packages folder (the machine's cache serves only as a read-only fallback for the dependencies).
/// </summary>
public sealed class PackedPackages : IDisposable
{
#if DEBUG
    public const string Configuration = "Debug";
#else
    public const string Configuration = "Release";
#endif

    private readonly TempDir root = new();

    public PackedPackages()
    {
        Version = $"0.1.0-test.{DateTime.UtcNow:yyyyMMddHHmmss}.{Environment.ProcessId}";
        Folder = root.File("packages");
        var pack = Dotnet(["pack", Path.Combine(Repo.Root, "Core.sln"), "-c", Configuration, "--no-build", "-nologo", "-v:q",
            $"-p:PackageVersion={Version}", $"-p:PackageOutputPath={Folder}/"], Repo.Root);
        if (pack.ExitCode != 0) throw new InvalidOperationException($"dotnet pack failed:\n{pack.StdOut}\n{pack.StdErr}");
    }

    /// <summary>The package version of this test run.</summary>
    public string Version { get; }

    /// <summary>The folder holding the .nupkg and .snupkg files.</summary>
    public string Folder { get; }

    /// <summary>A scratch folder beside the packages.</summary>
    public string Scratch(string name) => Directory.CreateDirectory(root.File(name)).FullName;

    /// <summary>Runs dotnet without leaving build servers behind, restoring into this run's own packages folder.</summary>
    public ExternalTools.Result Dotnet(IEnumerable<string> args, string workingDirectory) =>
        ExternalTools.Run("dotnet", args, 600, new Dictionary<string, string>
        {
            ["NUGET_PACKAGES"] = root.File("nuget-packages"),
            ["MSBUILDDISABLENODEREUSE"] = "1",
            ["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0",
            ["DOTNET_NOLOGO"] = "1",
            ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
        }, workingDirectory);

    /// <summary>The machine's NuGet packages folder, offered to consumers read-only.</summary>
    public static string MachinePackages =>
        Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } set
            ? set
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");

    public void Dispose() => root.Dispose();
}
