using System.CommandLine;
using AnnScope.Studies;

namespace AnnScope.Cli.Commands;

/// <summary>`annscope merge`: the shards of one study joined into the study a single process would have written.</summary>
internal static class MergeCommand
{
    internal static Command Create()
    {
        var output = new Option<DirectoryInfo>("--out") { Description = "the merged study directory (new or empty)", Required = true };
        var shards = new Argument<DirectoryInfo[]>("SHARD_DIR") { Description = "the shard directories (`study --shard I/N`), in any order", Arity = ArgumentArity.OneOrMore };
        var command = new Command("merge", "join the shards of a study (same config, seed, version, backend; every instance once), then run its statistics and report")
        {
            output, shards,
        };
        command.SetAction(r =>
        {
            var dir = r.GetValue(output)!.FullName;
            StudyMerge.Run(dir, [.. r.GetValue(shards)!.Select(d => d.FullName)]);
            return StudyCommand.Finish(StudyOutcome.Complete, dir, "merge");
        });
        return command;
    }
}
