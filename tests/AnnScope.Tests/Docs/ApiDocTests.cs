using AnnScope.Tests.Support;

namespace AnnScope.Tests.Docs;

/// <summary>docs/api.md shows exactly the code that <see cref="ApiExampleTests"/> compiles and runs.</summary>
public class ApiDocTests
{
    [Fact]
    public void EveryCodeBlockOfTheApiDocIsATestedExample()
    {
        var examples = Regions(File.ReadAllLines(Path.Combine(Repo.Root, "tests", "AnnScope.Tests", "Docs", "ApiExamples.cs")));
        var blocks = CodeBlocks(File.ReadAllLines(Path.Combine(Repo.Root, "docs", "api.md")), "csharp");
        Assert.True(examples.Count >= 8, $"found {examples.Count} examples");
        Assert.Equal(examples, blocks);
    }

    /// <summary>The fenced blocks of one language in a Markdown file, in order.</summary>
    public static List<string> CodeBlocks(IEnumerable<string> lines, string language)
    {
        var blocks = new List<string>();
        List<string>? block = null;
        foreach (var line in lines)
        {
            if (block == null && line.Trim() == "```" + language) block = [];
            else if (block != null && line.Trim() == "```")
            {
                blocks.Add(string.Join('\n', block));
                block = null;
            }
            else block?.Add(line);
        }
        return blocks;
    }

    private static List<string> Regions(IEnumerable<string> lines)
    {
        var regions = new List<string>();
        List<string>? region = null;
        foreach (var line in lines)
        {
            if (line.Trim() == "// doc:begin") region = [];
            else if (line.Trim() == "// doc:end" && region != null)
            {
                int indent = region.Where(l => l.Trim().Length > 0).Min(l => l.Length - l.TrimStart().Length);
                regions.Add(string.Join('\n', region.Select(l => l.Length >= indent ? l[indent..] : l.TrimStart())));
                region = null;
            }
            else region?.Add(line);
        }
        return regions;
    }
}
