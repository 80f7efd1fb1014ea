using System.Runtime.InteropServices;

namespace AnnScope.Interop;

/// <summary>Owns one native annscope_hebbff workspace.</summary>
internal sealed class HebbffHandle : SafeHandle
{
    public HebbffHandle() : base(0, ownsHandle: true) { }

    public override bool IsInvalid => handle == 0;

    protected override bool ReleaseHandle() => NativeMethods.HebbffDestroy(handle) == NativeStatus.Ok;

    internal static unsafe HebbffHandle Create(ContextHandle context, HebbffNativeConfig config)
    {
        NativeLibraryLoader.EnsureLoaded();
        var status = NativeMethods.HebbffCreate(context, &config, out var raw);
        NativeStatus.Check(status);
        var result = new HebbffHandle();
        result.SetHandle(raw);
        return result;
    }
}
