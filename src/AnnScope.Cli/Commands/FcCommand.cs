using System.CommandLine;
using AnnScope.Connectivity;
using AnnScope.IO;

namespace AnnScope.Cli.Commands;

/// <summary>`annscope fc`: Pearson functional connectivity (full or windowed) of activations in a .npy file.</summary>
internal static class FcCommand
{
    internal static Command Create()
    {
        var input = new Option<FileInfo>("--activations") { Description = "activations .npy, shaped (T, M) or (B, T, M)", Required = true };
        var window = new Option<int?>("--window") { Description = "window length Z in samples (default: all T samples, the full FC)" };
        var output = new Option<FileInfo>("--out") { Description = "output .npy: (M, M), (L, M, M), (B, M, M) or (B, L, M, M)", Required = true };
        var backend = CommonOptions.Backend();
        var threads = CommonOptions.Threads();
        var device = CommonOptions.Device();
        var command = new Command("fc", "functional connectivity: Pearson correlation between units, full or in windows")
        {
            input, window, output, backend, threads, device,
        };
        command.SetAction(r => Run(r.GetValue(input)!.FullName, r.GetValue(window), r.GetValue(output)!.FullName,
            CommonOptions.Context(r.GetValue(backend), r.GetValue(threads), r.GetValue(device))));
        return command;
    }

    private static int Run(string inputPath, int? window, string outputPath, ComputeContext context)
    {
        using var owned = context;
        var header = Npy.ReadHeader(inputPath);
        if (header.Shape.Length is not (2 or 3))
            throw new InvalidDataException($"{inputPath}: activations must be (T, M) or (B, T, M), found {header.ShapeText}");
        if (header.Shape.Any(d => d > int.MaxValue))
            throw new InvalidDataException($"{inputPath}: dimension too large in {header.ShapeText}");
        bool batched = header.Shape.Length == 3;
        var shape = batched
            ? new SeriesShape((int)header.Shape[0], (int)header.Shape[1], (int)header.Shape[2])
            : new SeriesShape(1, (int)header.Shape[0], (int)header.Shape[1]);
        int z = window ?? shape.Samples;
        bool windowed = window.HasValue;
        var outShape = new List<long>();
        if (batched) outShape.Add(shape.Batch);
        if (windowed) outShape.Add(shape.Windows(Math.Max(z, 1)));
        outShape.AddRange([shape.Units, shape.Units]);

        long constant;
        if (header.Type == NpyType.Float32)
        {
            var (data, _) = Npy.ReadFloat32(inputPath);
            var fc = new float[CheckedLength(shape, z)];
            constant = FunctionalConnectivity.Pearson(data, shape, z, fc, context);
            Npy.Write<float>(outputPath, fc, [.. outShape]);
        }
        else
        {
            var (data, _) = Npy.ReadFloat64(inputPath);
            var fc = new double[CheckedLength(shape, z)];
            constant = FunctionalConnectivity.Pearson(data, shape, z, fc, context);
            Npy.Write<double>(outputPath, fc, [.. outShape]);
        }
        if (constant > 0)
            Console.Error.WriteLine($"annscope: warning: {constant} (window, unit) cases were constant; their correlations are set to 0");
        return Cli.Ok;
    }

    private static int CheckedLength(SeriesShape shape, int window)
    {
        if (window < 2 || window > shape.Samples || shape.Samples % window != 0)
            throw new ArgumentException($"--window {window} must divide the {shape.Samples} samples and be at least 2");
        long n = shape.MatricesLength(window);
        return n <= Array.MaxLength ? (int)n : throw new ArgumentException($"the FC output would hold {n} values, too many for one call");
    }
}
