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

    internal static Option<string?> Device() => new("--device")
    {
        Description = "OpenCL device (with --backend opencl): an index or platform:device from `annscope devices`, " +
                      "cpu|gpu|accelerator, or part of its name (default: the first GPU, else the first device)",
    };

    /// <summary>The compute context the backend, threads and device options ask for.</summary>
    internal static ComputeContext Context(ComputeBackend backend, int threads, string? device)
    {
        if (device != null && backend != ComputeBackend.OpenCL)
            throw new ArgumentException("--device applies only with --backend opencl");
        return new ComputeContext(backend, threads, device);
    }

    private static ComputeBackend Fail(System.CommandLine.Parsing.ArgumentResult r, string message)
    {
        r.AddError(message);
        return default;
    }
}
