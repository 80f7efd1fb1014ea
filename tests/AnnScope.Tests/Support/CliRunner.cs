using System.Diagnostics;

namespace AnnScope.Tests.Support;

/// <summary>
/// Runs the `annscope` CLI in a separate process, as a user would: the build copied beside the tests (`dotnet
/// AnnScope.Cli.dll`, what the .NET tool runs), or the executable named by ANNSCOPE_TEST_CLI — `./build.sh test` names
/// the published artifacts/bin/annscope, compiled ahead of time, so that what users run is what the tests ran.
/// </summary>
public static class CliRunner
{
    /// <summary>The published command under test, or null for the build beside the tests.</summary>
    public static string? Published { get; } = Environment.GetEnvironmentVariable("ANNSCOPE_TEST_CLI") is { Length: > 0 } path
        ? File.Exists(path) ? path : throw new FileNotFoundException($"ANNSCOPE_TEST_CLI names {path}, which does not exist", path)
        : null;

    public sealed record Result(int ExitCode, string StdOut, string StdErr);

    /// <summary>Starts the CLI without waiting (output redirected).</summary>
    public static Process Start(IEnumerable<string> args, IDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo(Published ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (Published == null) info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "AnnScope.Cli.dll"));
        foreach (var a in args) info.ArgumentList.Add(a);
        if (environment != null)
            foreach (var (k, v) in environment) info.Environment[k] = v;
        return Process.Start(info)!;
    }

    public static Result Run(IEnumerable<string> args, IDictionary<string, string>? environment = null, int timeoutSeconds = 300)
    {
        using var process = Start(args, environment);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeoutSeconds * 1000))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"annscope {string.Join(' ', args)} did not finish in {timeoutSeconds} s");
        }
        return new Result(process.ExitCode, stdout.Result, stderr.Result);
    }

    public static Result Run(params string[] args) => Run((IEnumerable<string>)args);
}
