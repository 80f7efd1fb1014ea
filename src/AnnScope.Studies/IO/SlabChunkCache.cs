using PureHDF.VOL.Native;

namespace AnnScope.IO;

/// <summary>
/// PureHDF's default writing cache keeps every chunk until the file closes, i.e. the whole activation tensor.
/// The activation writer fills each chunk in exactly one write call, so a chunk is complete once the next
/// one is requested: this cache holds one chunk and hands it to the file as soon as another begins. PureHDF
/// binds the writer it passes with a chunk to that chunk, so each chunk is written with its own writer.
/// </summary>
internal sealed class SlabChunkCache : IWritingChunkCache
{
    private ulong index;
    private Memory<byte> chunk;
    private Action<ulong, Memory<byte>>? writer;

    public Memory<byte> GetChunk(ulong chunkIndex, Func<Memory<byte>> chunkAllocator, Action<ulong, Memory<byte>> chunkWriter)
    {
        if (writer != null && index == chunkIndex) return chunk;
        Release();
        index = chunkIndex;
        chunk = chunkAllocator();
        writer = chunkWriter;
        return chunk;
    }

    public void Flush(Action<ulong, Memory<byte>>? chunkWriter) => Release();

    private void Release()
    {
        if (writer is not { } write) return;
        writer = null;
        write(index, chunk);
        chunk = default;
    }
}
