using System.CommandLine;

namespace AnnScope.Cli;

/// <summary>Exit codes and the one place where exceptions become a one-line message.</summary>
internal static class Cli
{
    internal const int Ok = 0, Failure = 1, BadInput = 2, Interrupted = 130;

    internal static int Run(Command root, string[] args)
    {
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors) Console.Error.WriteLine($"annscope: {error.Message}");
            return BadInput;
        }
        try
        {
            return parsed.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            Console.Error.WriteLine($"annscope: error: {Describe(e)}");
            return ExitCodeFor(e);
        }
    }

    /// <summary>Bad input (files, shapes, values, options, a study directory in use) exits 2; anything else 1.</summary>
    internal static int ExitCodeFor(Exception e) => e switch
    {
        OperationCanceledException => Interrupted,
        Studies.StudyDirectoryBusyException => BadInput,
        InvalidDataException or ArgumentException or FileNotFoundException or DirectoryNotFoundException
            or UnauthorizedAccessException
            or ArithmeticException or FormatException => BadInput,
        _ => Failure,
    };

    private static string Describe(Exception e) => e switch
    {
        DllNotFoundException => e.Message.TrimEnd(),
        _ => e.Message.ReplaceLineEndings(" ").Trim(),
    };
}
