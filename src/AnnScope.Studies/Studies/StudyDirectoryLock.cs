using System.Globalization;

namespace AnnScope.Studies;

/// <summary>
/// Exclusive use of a study directory by one process: an operating-system lock (flock on Linux, a share-none
/// open on Windows) on <c>.annscope.lock</c> inside it, held until disposed. The kernel drops the lock when its
/// process dies, however it dies, so the lock of a killed process is never stale: the next process simply takes
/// it. Who holds it (PID, host, since when) is written beside it in <c>.annscope.lock.holder</c>, since a
/// locked file cannot be read by another process. Network filesystems need working locks (NFS with lockd or v4).
/// </summary>
public sealed class StudyDirectoryLock : IDisposable
{
    /// <summary>The lock file in the study directory (it stays there; only the lock on it comes and goes).</summary>
    public const string LockFile = ".annscope.lock";

    /// <summary>The holder's identity beside the lock file.</summary>
    public const string HolderFile = ".annscope.lock.holder";

    private readonly FileStream handle;

    /// <summary>The locked directory (full path).</summary>
    public string Directory { get; }

    private StudyDirectoryLock(string directory, FileStream handle)
    {
        Directory = directory;
        this.handle = handle;
    }

    /// <summary>True for the files that the lock keeps in a directory (an otherwise empty directory is still empty).</summary>
    public static bool IsLockFile(string path) => Path.GetFileName(path) is LockFile or HolderFile;

    /// <summary>
    /// Takes the lock on <paramref name="directory"/>, creating the directory if needed; throws
    /// <see cref="StudyDirectoryBusyException"/> naming the holder when another process (or another lock in
    /// this one) has it, and <see cref="ArgumentException"/> when the directory cannot be created or written.
    /// </summary>
    public static StudyDirectoryLock Acquire(string directory)
    {
        var dir = Path.GetFullPath(directory);
        if (File.Exists(dir)) throw new ArgumentException($"{dir} is a file, not a directory");
        FileStream handle;
        try
        {
            System.IO.Directory.CreateDirectory(dir);
            handle = new FileStream(Path.Combine(dir, LockFile), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new ArgumentException($"output directory {dir} is not writable: {e.Message}");
        }
        catch (IOException e) when (IsSharingViolation(e))
        {
            throw new StudyDirectoryBusyException(dir, ReadHolder(dir));
        }
        catch (IOException e)
        {
            throw new ArgumentException($"output directory {dir} is not writable: {e.Message}");
        }
        try
        {
            var holder = $"pid {Environment.ProcessId} host {Environment.MachineName} since " +
                         DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
            IO.AtomicFile.WriteText(Path.Combine(dir, HolderFile), holder + "\n");
        }
        catch
        {
            handle.Dispose();
            throw;
        }
        return new StudyDirectoryLock(dir, handle);
    }

    // EWOULDBLOCK from flock (Linux) or ERROR_SHARING_VIOLATION / ERROR_LOCK_VIOLATION (Windows)
    private static bool IsSharingViolation(IOException e) => e.HResult is 11 or 35 or unchecked((int)0x80070020) or unchecked((int)0x80070021);

    private static string ReadHolder(string dir)
    {
        // the holder writes its name just after it takes the lock: a moment's wait covers that gap
        for (int attempt = 0; attempt < 20; attempt++)
        {
            try
            {
                var text = File.ReadAllText(Path.Combine(dir, HolderFile)).Trim();
                if (text.Length > 0) return text;
            }
            catch (IOException) { }
            Thread.Sleep(50);
        }
        return "an unknown process";
    }

    /// <summary>Releases the lock (the lock file stays; the holder file is removed).</summary>
    public void Dispose()
    {
        try { File.Delete(Path.Combine(Directory, HolderFile)); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        handle.Dispose();
    }
}

/// <summary>Another process (named in the message by PID and host) is using the study directory.</summary>
public sealed class StudyDirectoryBusyException : IOException
{
    /// <summary>The busy directory.</summary>
    public string Directory { get; }

    /// <summary>Who holds it, as its holder file says ("pid N host H since T").</summary>
    public string Holder { get; }

    /// <summary>Creates the exception for <paramref name="directory"/> held by <paramref name="holder"/>.</summary>
    public StudyDirectoryBusyException(string directory, string holder)
        : base($"study directory {directory} is in use by {holder}; wait for it to finish (or stop it) and try again")
    {
        Directory = directory;
        Holder = holder;
    }
}
