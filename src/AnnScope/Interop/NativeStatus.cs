using System.Runtime.InteropServices;

namespace AnnScope.Interop;

/// <summary>The one place where native status codes become .NET exceptions.</summary>
internal static unsafe class NativeStatus
{
    internal const int Ok = 0, Argument = 1, NoMemory = 2, Backend = 3, Numeric = 4, State = 5, OpenCL = 6, Internal = 7;

    /// <summary>Throws the exception that matches <paramref name="status"/>, with the native message.</summary>
    internal static void Check(int status)
    {
        if (status == Ok) return;
        throw Exception(status, LastMessage());
    }

    internal static string LastMessage() => Marshal.PtrToStringUTF8((nint)NativeMethods.LastError()) ?? "";

    internal static Exception Exception(int status, string message) => status switch
    {
        Argument => new ArgumentException(message),
        NoMemory => new InsufficientMemoryException(message),
        Backend => new NotSupportedException(message),
        Numeric => new ArithmeticException(message),
        State => new InvalidOperationException(message),
        OpenCL => new ComputeDeviceException(message),
        _ => new InvalidOperationException($"libannscope internal error {status}: {message}"),
    };
}
