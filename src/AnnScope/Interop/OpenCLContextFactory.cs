using Silk.NET.OpenCL;

namespace AnnScope.Interop;

/// <summary>
/// Makes a native OpenCL context on a chosen device: the cl_context and in-order queue are created here (device
/// policy lives in managed code), handed to libannscope, which retains them, and our own references are
/// released at once, so the one <see cref="ContextHandle"/> owns everything.
/// </summary>
internal static unsafe class OpenCLContextFactory
{
    private const nint ContextPlatform = 0x1084; // CL_CONTEXT_PLATFORM

    internal static ContextHandle Create(ComputeDevice device, long memoryLimit)
    {
        NativeLibraryLoader.EnsureLoaded();
        var cl = OpenCLApi.Api ?? throw new NotSupportedException(OpenCLApi.LoadProblem);
        using var guard = DriverSignalGuard.Enter(); // a driver may finish starting with its first context
        nint context = 0, queue = 0;
        try
        {
            int error;
            var properties = stackalloc nint[] { ContextPlatform, device.PlatformId, 0 };
            var id = device.DeviceId;
            context = cl.CreateContext(properties, 1, &id, null, null, &error);
            OpenCLApi.Check(error, $"clCreateContext on '{device.Name}'");
            queue = cl.CreateCommandQueue(context, id, CommandQueueProperties.None, &error);
            OpenCLApi.Check(error, $"clCreateCommandQueue on '{device.Name}'");
            NativeStatus.Check(NativeMethods.ContextCreateOpenCL(context, id, queue, memoryLimit, out var raw));
            return ContextHandle.Adopt(raw);
        }
        finally
        {
            if (queue != 0) cl.ReleaseCommandQueue(queue);
            if (context != 0) cl.ReleaseContext(context);
        }
    }
}
