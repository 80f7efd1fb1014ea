using System.Reflection;
using AnnScope.Connectivity;
using AnnScope.Reports;
using NetArchTest.Rules;

namespace AnnScope.Tests.Architecture;

public class LayerTests
{
    private static readonly Assembly[] Assemblies =
        [typeof(FunctionalConnectivity).Assembly, typeof(StudyReport).Assembly, Assembly.Load("AnnScope.Cli")];

    /// <summary>Which folders each folder's types name, read from the compiled assemblies.</summary>
    private static readonly Lazy<Dictionary<string, IReadOnlySet<string>>> Edges = new(() =>
    {
        var folders = Assemblies.SelectMany(a => a.GetTypes()).Select(t => Folder(t.Namespace)).OfType<string>()
            .Distinct().Order(StringComparer.Ordinal).ToList();
        var types = Types.InAssemblies(Assemblies);
        var edges = new Dictionary<string, IReadOnlySet<string>>(StringComparer.Ordinal);
        foreach (var from in folders)
            edges[from] = folders.Where(to => to != from &&
                !types.That().ResideInNamespace(from).ShouldNot().HaveDependencyOn(to).GetResult().IsSuccessful).ToHashSet();
        return edges;
    });

    /// <summary>AnnScope.X for a namespace under AnnScope.X; null for the root namespace (compute contexts) and foreign types.</summary>
    private static string? Folder(string? ns)
    {
        var parts = ns?.Split('.');
        return parts is ["AnnScope", var folder, ..] ? $"AnnScope.{folder}" : null;
    }

    [Fact]
    public void DependenciesPointDownAndNoTwoFoldersNameEachOther()
    {
        var problems = FolderGraph.Violations(Edges.Value);
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Theory]
    [InlineData("AnnScope.Dynamics", "AnnScope.Communities")]
    [InlineData("AnnScope.Reports", "AnnScope.Studies")]
    [InlineData("AnnScope.Interop", "AnnScope.Models")]
    public void EachOfTheFormerCyclesWouldBeCaught(string from, string to)
    {
        Assert.Contains(from, Edges.Value[to]); // the direction that stays
        var edges = new Dictionary<string, IReadOnlySet<string>>(Edges.Value) { [from] = Edges.Value[from].Append(to).ToHashSet() };
        var (first, second) = string.CompareOrdinal(from, to) < 0 ? (from, to) : (to, from);
        Assert.Contains($"{first} and {second} name each other (a namespace cycle)", FolderGraph.Violations(edges));
    }

    [Fact]
    public void TheScienceLibraryNeedsNoFiguresOrHdf5()
    {
        var references = typeof(FunctionalConnectivity).Assembly.GetReferencedAssemblies().Select(a => a.Name!).ToList();
        Assert.Contains("AnnScope", typeof(StudyReport).Assembly.GetReferencedAssemblies().Select(a => a.Name));
        foreach (var heavy in new[] { "ScottPlot", "SkiaSharp", "HarfBuzzSharp", "PureHDF", "AnnScope.Studies" })
            Assert.DoesNotContain(references, r => r.StartsWith(heavy, StringComparison.Ordinal));
    }
}
