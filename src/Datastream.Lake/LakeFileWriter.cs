using Microsoft.IO;
using Parquet;

namespace Datastream.Lake;

/// <summary>
/// One lake file being written: its latest rows in a <see cref="LakeFileBuffer"/>, the rows before them already encoded
/// as row groups into the file's bytes, held in pooled memory until the file is staged (<see cref="CopyFinishedToAsync"/>).
/// Encoding a row group at a time keeps a roll short (only the last group is left) and the memory of a file small
/// (compressed, in reused blocks, instead of full columns and a file's worth of Parquet pages at once).
/// </summary>
internal sealed class LakeFileWriter : IDisposable
{
    private readonly RecyclableMemoryStream _content;
    private readonly LakeCompression _compression;
    private ParquetWriter? _parquet;
    private bool _finished;

    /// <summary>A row group failed part-way: the bytes may end inside it, so the file can only be dropped.</summary>
    private bool _broken;

    public LakeFileWriter(LakeFileBuffer rows, RecyclableMemoryStreamManager memory, LakeCompression compression)
    {
        Rows = rows;
        _compression = compression;
        _content = memory.GetStream(nameof(LakeFileWriter));
    }

    /// <summary>The rows not encoded yet; reused for another file once this one is staged or dropped.</summary>
    public LakeFileBuffer Rows { get; }

    public LakeFileKey FileKey => Rows.FileKey;

    /// <summary>Rows in the file so far, encoded or not.</summary>
    public int Count => _encodedRows + Rows.Count;

    private int _encodedRows;

    /// <summary>Encodes the buffered rows as the file's next row group; nothing when none are buffered.</summary>
    public async ValueTask WriteRowGroupAsync(CancellationToken cancellationToken)
    {
        if (_broken || _finished)
        {
            throw new InvalidOperationException(_broken
                ? $"Lake file {FileKey.ToKey("")} failed while encoding a row group: it can only be discarded."
                : $"Lake file {FileKey.ToKey("")} is finished: no row group can follow its footer.");
        }

        if (Rows.Count == 0)
        {
            return;
        }

        // Broken until the group is whole: an exception leaves it so.
        _broken = true;
        _parquet ??= await RideParquetFormat.CreateWriterAsync(_content, _compression, cancellationToken).ConfigureAwait(false);
        await RideParquetFormat.WriteRowGroupAsync(_parquet, Rows, cancellationToken).ConfigureAwait(false);
        _broken = false;
        _encodedRows += Rows.Count;
        Rows.Clear();
    }

    /// <summary>
    /// Encodes what is left and writes the footer, once; then writes the whole file into <paramref name="output"/>, as
    /// often as asked (a staging that failed is repeated with the same content).
    /// </summary>
    public async ValueTask CopyFinishedToAsync(Stream output, CancellationToken cancellationToken)
    {
        await FinishAsync(cancellationToken).ConfigureAwait(false);
        _content.Position = 0;
        await _content.CopyToAsync(output, cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask FinishAsync(CancellationToken cancellationToken)
    {
        if (_finished)
        {
            return;
        }

        await WriteRowGroupAsync(cancellationToken).ConfigureAwait(false);
        if (_parquet is not null)
        {
            // Broken until the footer is whole, as a row group is.
            _broken = true;
            await _parquet.DisposeAsync().ConfigureAwait(false);
            _broken = false;
        }

        _finished = true;
    }

    /// <summary>Returns the file's memory to the pool; the rows buffer is the caller's to reuse. An unfinished file is dropped.</summary>
    public void Dispose() => _content.Dispose();
}
