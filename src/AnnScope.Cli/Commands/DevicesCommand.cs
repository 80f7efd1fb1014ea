using System.CommandLine;

namespace AnnScope.Cli.Commands;

/// <summary>`annscope devices`: what the native core was built with and which compute devices exist.</summary>
internal static class DevicesCommand
{
    internal static Command Create()
    {
        var command = new Command("devices", "print the native build (MKL, threading, OpenCL) and the compute devices");
        command.SetAction(_ =>
        {
            Console.Write(ComputeContext.NativeBuildInfo);
            Console.WriteLine($"CPU cores: {Environment.ProcessorCount}");
            return Cli.Ok;
        });
        return command;
    }
}
