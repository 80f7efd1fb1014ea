using System.Diagnostics;

namespace AnnScope.Tests.Support;

/// <summary>Programs some tests drive from outside (h5py, headless Chromium), found once; a missing one skips those tests with the reason.</summary>
public static class ExternalTools
{
    private static readonly Lazy<string?> python = new(() =>
        new[] { "python3", "/usr/bin/python3" }.FirstOrDefault(p => Run(p, ["-c", "import h5py, numpy"], 60).ExitCode == 0));

    private static readonly Lazy<string?> chromium = new(() =>
        new[] { "chromium", "chromium-browser", "/usr/bin/chromium" }.FirstOrDefault(p => Run(p, ["--version"], 60).ExitCode == 0));

    /// <summary>A python3 that imports h5py and numpy, or null.</summary>
    public static string? PythonWithH5py => python.Value;

    /// <summary>A Chromium binary, or null.</summary>
    public static string? Chromium => chromium.Value;

    public sealed record Result(int ExitCode, string StdOut, string StdErr);

    /// <summary>Runs a program; exit code −1 when it cannot start.</summary>
    public static Result Run(string program, IEnumerable<string> args, int timeoutSeconds,
        IReadOnlyDictionary<string, string>? environment = null, string? workingDirectory = null)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) info.ArgumentList.Add(a);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) info.Environment[name] = value;
        if (workingDirectory != null) info.WorkingDirectory = workingDirectory;
        Process process;
        try { process = Process.Start(info)!; }
        catch (System.ComponentModel.Win32Exception e) { return new Result(-1, "", e.Message); }
        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(timeoutSeconds * 1000))
            {
                process.Kill(entireProcessTree: true);
                return new Result(-1, stdout.Result, $"timed out after {timeoutSeconds} s");
            }
            return new Result(process.ExitCode, stdout.Result, stderr.Result);
        }
    }
}

/// <summary>A fact that needs python3 with h5py and numpy (Debian: python3-h5py python3-numpy).</summary>
public sealed class H5pyFactAttribute : FactAttribute
{
    public H5pyFactAttribute()
    {
        if (ExternalTools.PythonWithH5py is null) Skip = "python3 with h5py and numpy not found (apt-get install python3-h5py python3-numpy)";
    }
}

/// <summary>A fact that needs a headless Chromium (Debian: chromium).</summary>
public sealed class ChromiumFactAttribute : FactAttribute
{
    public ChromiumFactAttribute()
    {
        if (ExternalTools.Chromium is null) Skip = "chromium not found (apt-get install chromium)";
    }
}
