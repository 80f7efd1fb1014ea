namespace AnnScope.IO;

/// <summary>
/// A read-only file stream that refuses to be read more than a budget of times per operation. A damaged HDF5 object
/// header can declare a size that makes a parser walk millions of empty messages; the budget turns that endless walk
/// into an <see cref="InvalidDataException"/> naming the file. A sound file needs a few reads per object or chunk.
/// </summary>
internal sealed class ReadBudgetStream(string path) : Stream
{
    private readonly FileStream inner = new(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
    private long left = long.MaxValue;

    /// <summary>Allows <paramref name="reads"/> more reads (calls of Read or Seek) before the stream refuses.</summary>
    internal void Allow(long reads) => left = reads;

    private void Spend()
    {
        if (--left < 0) throw new InvalidDataException($"{path}: the file's structure does not end where it says (damaged)");
    }

    public override int Read(byte[] buffer, int offset, int count) { Spend(); return inner.Read(buffer, offset, count); }
    public override int Read(Span<byte> buffer) { Spend(); return inner.Read(buffer); }
    public override int ReadByte() { Spend(); return inner.ReadByte(); }
    public override long Seek(long offset, SeekOrigin origin) { Spend(); return inner.Seek(offset, origin); }
    public override bool CanRead => true;
    public override bool CanSeek => true;
    public override bool CanWrite => false;
    public override long Length => inner.Length;
    public override long Position { get => inner.Position; set { Spend(); inner.Position = value; } }
    public override void Flush() { }
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) inner.Dispose();
        base.Dispose(disposing);
    }
}
