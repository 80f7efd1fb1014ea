using System.Globalization;
using System.IO.Compression;
using System.Xml.Linq;
using AnnScope.Connectivity;
using AnnScope.IO;
using AnnScope.Tests.Support;
using PackageConsumer;

namespace AnnScope.Tests.Packaging;

public class PackageTests(PackedPackages packages) : IClassFixture<PackedPackages>
{
    [Fact]
    public void TheLibraryPackageCarriesTheNativeCoreDocsAndOnlyTheScienceDependencies()
    {
        using var nupkg = ZipFile.OpenRead(Path.Combine(packages.Folder, $"AnnScope.{packages.Version}.nupkg"));
        var entries = nupkg.Entries.Select(e => e.FullName).ToHashSet();
        Assert.Contains("runtimes/linux-x64/native/libannscope.so", entries);
        Assert.Contains("lib/net10.0/AnnScope.dll", entries);
        Assert.Contains("lib/net10.0/AnnScope.xml", entries);
        Assert.Contains("README.md", entries);
        XNamespace ns = "http://schemas.microsoft.com/packaging/2013/05/nuspec.xsd";
        XDocument nuspec;
        using (var stream = nupkg.GetEntry("AnnScope.nuspec")!.Open()) nuspec = XDocument.Load(stream);
        var metadata = nuspec.Root!.Element(ns + "metadata")!;
        Assert.Equal("MIT", metadata.Element(ns + "license")?.Value);
        Assert.Equal("README.md", metadata.Element(ns + "readme")?.Value);
        Assert.Equal("git", metadata.Element(ns + "repository")?.Attribute("type")?.Value);
        var dependencies = metadata.Descendants(ns + "dependency").Select(d => d.Attribute("id")!.Value).ToList();
        Assert.Contains("MathNet.Numerics", dependencies);
        foreach (var heavy in new[] { "ScottPlot", "SkiaSharp", "HarfBuzzSharp", "PureHDF" })
            Assert.DoesNotContain(dependencies, d => d.StartsWith(heavy, StringComparison.Ordinal));

        using var symbols = ZipFile.OpenRead(Path.Combine(packages.Folder, $"AnnScope.{packages.Version}.snupkg"));
        Assert.Contains(symbols.Entries, e => e.FullName == "lib/net10.0/AnnScope.pdb");
        using var studies = ZipFile.OpenRead(Path.Combine(packages.Folder, $"AnnScope.Studies.{packages.Version}.nupkg"));
        using (var stream = studies.GetEntry("AnnScope.Studies.nuspec")!.Open())
            Assert.Contains(XDocument.Load(stream).Descendants(ns + "dependency"),
                d => d.Attribute("id")!.Value == "AnnScope" && d.Attribute("version")!.Value == packages.Version);
    }

    [Fact]
    public void AFreshConsoleProjectOnThePackageGetsTheNumbersOfTheInRepoApi()
    {
        var project = packages.Scratch("consumer");
        File.WriteAllText(Path.Combine(project, "Consumer.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <ImplicitUsings>enable</ImplicitUsings>
                <Nullable>enable</Nullable>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="AnnScope" Version="{packages.Version}" />
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(project, "NuGet.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="annscope-under-test" value="{packages.Folder}" />
              </packageSources>
              <fallbackPackageFolders>
                <add key="machine" value="{PackedPackages.MachinePackages}" />
              </fallbackPackageFolders>
            </configuration>
            """);
        File.Copy(Path.Combine(Repo.Root, "tests", "AnnScope.Tests", "Packaging", "ConsumerScenario.cs"),
            Path.Combine(project, "ConsumerScenario.cs"));
        File.WriteAllText(Path.Combine(project, "Program.cs"), "PackageConsumer.ConsumerScenario.Run(Console.Out);\n");

        var run = packages.Dotnet(["run", "-c", "Release"], project);
        Assert.True(run.ExitCode == 0, run.StdOut + run.StdErr);

        var expected = new StringWriter();
        ConsumerScenario.Run(expected);
        Assert.Equal(expected.ToString().ReplaceLineEndings("\n"), run.StdOut.ReplaceLineEndings("\n"));
        // the scenario is not degenerate: two driven groups, a slope between 0.5 and 0.7
        Assert.DoesNotContain("NaN", run.StdOut);
        var multilayer = run.StdOut.Split('\n').Single(l => l.StartsWith("multilayer ", StringComparison.Ordinal)).Split(' ');
        Assert.InRange(int.Parse(multilayer[2], CultureInfo.InvariantCulture), 2, 12);
        var slope = run.StdOut.Split('\n').Single(l => l.StartsWith("lmm x ", StringComparison.Ordinal)).Split(' ');
        Assert.InRange(double.Parse(slope[2], CultureInfo.InvariantCulture), 0.5, 0.7);
        var output = Path.Combine(project, "bin", "Release", "net10.0");
        Assert.True(File.Exists(Path.Combine(output, "runtimes", "linux-x64", "native", "libannscope.so")));
        Assert.False(File.Exists(Path.Combine(output, "ScottPlot.dll")));
        Assert.False(File.Exists(Path.Combine(output, "PureHDF.dll")));
    }

    [Fact]
    public void TheToolInstallsAndRunsWithItsNativeCore()
    {
        var tools = packages.Scratch("tools");
        var install = packages.Dotnet(["tool", "install", "AnnScope.Tool", "--add-source", packages.Folder, "--tool-path", tools,
            "--version", packages.Version], tools);
        Assert.True(install.ExitCode == 0, install.StdOut + install.StdErr);
        var annscope = Path.Combine(tools, OperatingSystem.IsWindows() ? "annscope.exe" : "annscope");

        var version = ExternalTools.Run(annscope, ["--version"], 120);
        Assert.True(version.ExitCode == 0, version.StdErr);
        Assert.Equal(CliRunner.Run("--version").StdOut, version.StdOut);

        var work = packages.Scratch("fc");
        var random = new Random(3);
        var x = Enumerable.Range(0, 120 * 7).Select(_ => (float)random.NextDouble()).ToArray();
        Npy.Write<float>(Path.Combine(work, "a.npy"), x, 120, 7);
        var fc = ExternalTools.Run(annscope, ["fc", "--activations", Path.Combine(work, "a.npy"), "--out", Path.Combine(work, "fc.npy")], 120);
        Assert.True(fc.ExitCode == 0, fc.StdErr);
        var (written, shape) = Npy.ReadFloat32(Path.Combine(work, "fc.npy"));
        Assert.Equal([7L, 7L], shape);
        var expected = new float[49];
        FunctionalConnectivity.Pearson(x, new SeriesShape(1, 120, 7), 120, expected);
        Assert.Equal(expected, written);
    }
}
