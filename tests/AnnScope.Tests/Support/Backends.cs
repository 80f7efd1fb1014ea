using System.Reflection;
using Xunit.Sdk;

namespace AnnScope.Tests.Support;

/// <summary>Where a parity test computes: the managed reference or one of the native backends.</summary>
public enum Engine { Reference, Mkl, OpenCL }

/// <summary>Whether OpenCL tests can run here, and if not, why (reported as the skip reason).</summary>
public static class OpenCLAvailability
{
    private static readonly Lazy<string?> Reason = new(Probe);

    /// <summary>Null when libannscope has OpenCL compiled in and a device exists; otherwise the skip reason.</summary>
    public static string? SkipReason => Reason.Value;

    private static string? Probe()
    {
        if (!ComputeContext.NativeBuildInfo.Contains("OpenCL: compiled in", StringComparison.Ordinal))
            return "libannscope was built without OpenCL (no ICD loader/headers at build time)";
        return ComputeDevice.Discover().Count == 0 ? $"no OpenCL device: {ComputeDevice.Unavailable}" : null;
    }

    private static readonly Lazy<string?> Float64Reason = new(() =>
    {
        if (SkipReason is { } reason) return reason;
        using var context = Context(Engine.OpenCL);
        return context!.Device is { SupportsFloat64: false } device
            ? $"OpenCL device {device} has no float64 support (cl_khr_fp64): its float64 half cannot run"
            : null;
    });

    /// <summary>Null when the OpenCL device that tests use computes in float64; otherwise the skip reason.</summary>
    public static string? Float64SkipReason => Float64Reason.Value;

    /// <summary>A context for <paramref name="engine"/> (null for the managed reference); ANNSCOPE_TEST_DEVICE chooses
    /// the OpenCL device (default: the first GPU, else the first device: PoCL's CPU device in CI).</summary>
    public static ComputeContext? Context(Engine engine, long deviceMemoryLimit = 0) => engine switch
    {
        Engine.Reference => null,
        Engine.Mkl => new ComputeContext(ComputeBackend.Mkl, 2),
        _ => new ComputeContext(ComputeBackend.OpenCL, device: Environment.GetEnvironmentVariable("ANNSCOPE_TEST_DEVICE"),
            deviceMemoryLimit: deviceMemoryLimit),
    };
}

/// <summary>A fact that needs an OpenCL device: skipped, with the reason, when there is none.</summary>
public sealed class OpenCLFactAttribute : FactAttribute
{
    public OpenCLFactAttribute()
    {
        if (OpenCLAvailability.SkipReason is { } reason) Skip = reason;
    }
}

/// <summary>
/// One data row of a backend-parameterised theory: the engine first, then any further arguments. An OpenCL row is
/// skipped with the reason the derived attribute gives (no device, no float64); the other engines always run.
/// </summary>
public abstract class EngineRowAttribute : DataAttribute
{
    private readonly object[] row;

    protected EngineRowAttribute(Engine engine, string? openClSkipReason, object[] arguments)
    {
        row = [engine, .. arguments];
        if (engine == Engine.OpenCL && openClSkipReason is { } reason) Skip = reason;
    }

    public override IEnumerable<object[]> GetData(MethodInfo testMethod) => [row];
}

/// <summary>A row whose OpenCL case is skipped, with the reason, when no OpenCL device exists.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
public sealed class OnEngineAttribute(Engine engine, params object[] arguments)
    : EngineRowAttribute(engine, OpenCLAvailability.SkipReason, arguments);

/// <summary>
/// A float64 row: its OpenCL case is also skipped, with the reason, when the test device has no float64 — reported
/// as skipped, never passed silently.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
public sealed class OnFloat64EngineAttribute(Engine engine, params object[] arguments)
    : EngineRowAttribute(engine, OpenCLAvailability.Float64SkipReason, arguments);
