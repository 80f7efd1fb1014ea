using System.Runtime.InteropServices;

namespace AnnScope.Cli;

/// <summary>
/// Turns SIGINT / SIGTERM into a cancellation: long jobs stop cleanly after flushing the checkpoint in hand.
/// A second SIGINT ends the process at once (the store is safe to resume either way).
/// </summary>
internal sealed class Interruption : IDisposable
{
    private readonly CancellationTokenSource source = new();
    private readonly PosixSignalRegistration interrupt, terminate;

    public CancellationToken Token => source.Token;

    public Interruption()
    {
        interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Handle);
        terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Handle);
    }

    private void Handle(PosixSignalContext context)
    {
        if (source.IsCancellationRequested && context.Signal == PosixSignal.SIGINT) return; // default action: exit now
        context.Cancel = true;
        Console.Error.WriteLine("annscope: stopping after the current checkpoint is saved (Ctrl-C again to quit now)");
        source.Cancel();
    }

    public void Dispose()
    {
        interrupt.Dispose();
        terminate.Dispose();
        source.Dispose();
    }
}
