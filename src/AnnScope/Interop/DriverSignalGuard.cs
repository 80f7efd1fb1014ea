namespace AnnScope.Interop;

/// <summary>
/// Keeps the .NET runtime's signal handlers across OpenCL calls that may start a driver. PoCL (through LLVM)
/// installs its own SIGSEGV, SIGFPE, SIGILL, SIGINT, SIGTERM, ... handlers when its devices are first queried;
/// left in place they turn every later NullReferenceException or DivideByZeroException anywhere in the
/// process into a crash ("Illegal instruction") and swallow Ctrl-C. The guard saves the handlers (in
/// libannscope) on entry and puts back any that changed on exit; one guarded section at a time.
/// </summary>
internal readonly struct DriverSignalGuard : IDisposable
{
    private static readonly Lock Gate = new();
    private readonly bool active;

    private DriverSignalGuard(bool active) => this.active = active;

    /// <summary>Enters a guarded section (unguarded only if libannscope itself cannot be loaded).</summary>
    internal static DriverSignalGuard Enter()
    {
        try
        {
            NativeLibraryLoader.EnsureLoaded();
        }
        catch (DllNotFoundException)
        {
            return new DriverSignalGuard(false); // nothing to guard with; the load failure surfaces where it matters
        }
        Gate.Enter();
        NativeStatus.Check(NativeMethods.SignalsSave());
        return new DriverSignalGuard(true);
    }

    public void Dispose()
    {
        if (!active) return;
        try
        {
            NativeStatus.Check(NativeMethods.SignalsRestore(out _));
        }
        finally
        {
            Gate.Exit();
        }
    }
}
