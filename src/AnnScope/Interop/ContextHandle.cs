using System.Runtime.InteropServices;

namespace AnnScope.Interop;

/// <summary>Owns one native annscope_context.</summary>
internal sealed class ContextHandle : SafeHandle
{
    public ContextHandle() : base(0, ownsHandle: true) { }

    public override bool IsInvalid => handle == 0;

    protected override bool ReleaseHandle() => NativeMethods.ContextDestroy(handle) == NativeStatus.Ok;

    internal static ContextHandle Create(int backend, int threads)
    {
        NativeLibraryLoader.EnsureLoaded();
        var status = NativeMethods.ContextCreate(backend, threads, out var raw);
        NativeStatus.Check(status);
        return Adopt(raw);
    }

    /// <summary>Takes ownership of a context the native core just created.</summary>
    internal static ContextHandle Adopt(nint raw)
    {
        var result = new ContextHandle();
        result.SetHandle(raw);
        return result;
    }
}
