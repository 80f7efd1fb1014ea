using System.Diagnostics;

namespace AnnScope.Tests.Support;

/// <summary>A small tmpfs mounted for a test: a disk that really fills up. Needs root (or CAP_SYS_ADMIN).</summary>
public sealed class Tmpfs : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("annscope-tmpfs-").FullName;

    /// <summary>Mounts <paramref name="kilobytes"/> of tmpfs; <paramref name="readOnly"/>: a filesystem nobody, root included, can write.</summary>
    public Tmpfs(int kilobytes, bool readOnly = false) => Mount($"size={kilobytes}k{(readOnly ? ",ro" : "")}");

    /// <summary>Grows (or shrinks) the filesystem in place, keeping its files.</summary>
    public void Resize(int kilobytes) => Mount($"remount,size={kilobytes}k");

    private void Mount(string options)
    {
        var (code, error) = Exec("mount", "-t", "tmpfs", "-o", options, "tmpfs", Path);
        if (code != 0) throw new InvalidOperationException($"mount failed: {error}");
    }

    public void Dispose()
    {
        Exec("umount", Path);
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { }
    }

    /// <summary>Why tmpfs cannot be mounted here, or null when it can.</summary>
    public static readonly Lazy<string?> Unavailable = new(() =>
    {
        try
        {
            using var probe = new Tmpfs(64);
            return null;
        }
        catch (Exception e)
        {
            return $"cannot mount a tmpfs to simulate a full disk ({e.Message.Trim()}); needs root";
        }
    });

    private static (int Code, string Error) Exec(string file, params string[] args)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in args) info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, error);
    }
}

/// <summary>A fact that runs only where a tmpfs can be mounted; elsewhere it is skipped with the reason.</summary>
public sealed class TmpfsFactAttribute : FactAttribute
{
    public TmpfsFactAttribute()
    {
        if (Tmpfs.Unavailable.Value is { } reason) Skip = reason;
    }
}

/// <summary>
/// A fact that needs a directory its user cannot write: permission bits for a user, a read-only tmpfs for root (who
/// writes through permission bits). Skipped, with the reason, for a root that cannot mount.
/// </summary>
public sealed class UnwritableDirectoryFactAttribute : FactAttribute
{
    public UnwritableDirectoryFactAttribute()
    {
        if (Environment.UserName == "root" && Tmpfs.Unavailable.Value is { } reason) Skip = reason;
    }
}
