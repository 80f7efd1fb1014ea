using System.CommandLine;

namespace AnnScope.Cli.Commands;

/// <summary>Options shared by every command that computes.</summary>
internal static class CommonOptions
{
    internal static Option<ComputeBackend> Backend() => new("--backend")
    {
        Description = "where the hot paths run: mkl (CPU) or opencl",
        DefaultValueFactory = _ => ComputeBackend.Mkl,
        CustomParser = r => r.Tokens[0].Value.ToLowerInvariant() switch
        {
            "mkl" => ComputeBackend.Mkl,
            "opencl" => ComputeBackend.OpenCL,
            var other => Fail(r, $"unknown backend '{other}' (mkl or opencl)"),
        },
    };

    internal static Option<int> Threads() => new("--threads")
    {
        Description = "native threads (0 = every core)",
        DefaultValueFactory = _ => 0,
        Validators = { r => { if (r.GetValueOrDefault<int>() < 0) r.AddError("--threads must be >= 0"); } },
    };

    private static ComputeBackend Fail(System.CommandLine.Parsing.ArgumentResult r, string message)
    {
        r.AddError(message);
        return default;
    }
}
