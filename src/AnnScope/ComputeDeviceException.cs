namespace AnnScope;

/// <summary>A compute device (OpenCL) failed: build log, device memory, lost device.</summary>
public sealed class ComputeDeviceException(string message) : Exception(message);
