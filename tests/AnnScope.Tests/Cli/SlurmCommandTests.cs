using AnnScope.Tests.Studies;
using AnnScope.Tests.Support;

namespace AnnScope.Tests.Cli;

/// <summary>`annscope slurm submit --dry-run` and the refusals that need no cluster.</summary>
public class SlurmCommandTests
{
    [Fact]
    public void DryRunPrintsOneArrayOfPlainResumableShardsAndAMergeAfterItAndWritesNothing()
    {
        using var dir = new TempDir();
        var sweep = dir.File("sweep.json");
        File.WriteAllText(sweep, """{"instances": 4, "epochs": 20, "every": 10, "plasticity": ["anti", "hebb"], "seed": [1, 2, 3]}""");
        var output = dir.File("run");
        var run = CliRunner.Run("slurm", "submit", "--sweep", sweep, "--shards", "2", "--out", output, "--partition", "short",
            "--time", "1:00:00", "--mem", "2G", "--cpus-per-task", "2", "--extra", "--account=lab --qos=low", "--dry-run");
        Assert.True(run.ExitCode == 0, run.StdErr);
        var text = run.StdOut;
        Assert.Contains("#SBATCH --array=0-11\n", text); // 6 conditions × 2 shards
        Assert.Contains("#SBATCH --open-mode=append\n", text);
        Assert.Contains("#SBATCH --requeue\n", text);
        Assert.Contains("#SBATCH --partition=short\n", text);
        Assert.Contains("#SBATCH --time=1:00:00\n", text);
        Assert.Contains("#SBATCH --mem=2G\n", text);
        Assert.Contains("#SBATCH --cpus-per-task=2\n", text);
        Assert.Contains("#SBATCH --account=lab\n#SBATCH --qos=low\n", text);
        Assert.Contains("conditions=(plasticity-anti_seed-1 plasticity-anti_seed-2 plasticity-anti_seed-3 plasticity-hebb_seed-1", text);
        Assert.Contains(" study --config ", text);
        Assert.Contains("--shard \"$shard/$shards\"", text);
        Assert.Contains(" --resume ", text);
        Assert.Contains(" merge --out ", text);
        Assert.Contains(" sweep --config ", text);
        Assert.Contains("--dependency=afterok:", text);
        Assert.False(Directory.Exists(output), "--dry-run must write nothing");
    }

    [Fact]
    public void SubmitRefusesBadRequestsBeforeTouchingAnything()
    {
        using var dir = new TempDir();
        var config = StudyCli.WriteConfig(dir);
        var output = dir.File("run");
        var both = CliRunner.Run("slurm", "submit", "--study", config, "--sweep", config, "--shards", "2", "--out", output);
        Assert.Equal(2, both.ExitCode);
        Assert.Contains("exactly one of --study", both.StdErr);
        var tooMany = CliRunner.Run("slurm", "submit", "--study", config, "--shards", "5", "--out", output);
        Assert.Equal(2, tooMany.ExitCode);
        Assert.Contains("5 shards of 4 instances", tooMany.StdErr);
        var study = CliRunner.Run("slurm", "submit", "--study", config, "--shards", "2", "--out", output, "--dry-run");
        Assert.True(study.ExitCode == 0, study.StdErr);
        Assert.Contains("#SBATCH --array=0-1\n", study.StdOut);
        Assert.Contains($" merge --out {output}/study {output}/shards/study/1-of-2 {output}/shards/study/2-of-2\n", study.StdOut);
        Assert.DoesNotContain(" sweep --config ", study.StdOut);
        var none = CliRunner.Run("slurm", "status", dir.File("nowhere"));
        Assert.Equal(2, none.ExitCode);
        Assert.Contains("holds no Slurm run", none.StdErr);
        Assert.False(Directory.Exists(output));
    }
}
