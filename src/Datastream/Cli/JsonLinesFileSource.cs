using Datastream.Pipelines.Producer;

namespace Datastream.Cli;

/// <summary>
/// The lines of a file as records, each sent unchanged (SPEC §5 produce --from-file): only the "\n" that ends a line
/// is removed, and a final newline does not make an extra empty record. Streams, so files of any size work.
/// </summary>
public sealed class JsonLinesFileSource : IRecordSource, IDisposable
{
    private readonly Stream _stream;
    private byte[] _buffer = new byte[1 << 20];
    private int _start;
    private int _end;
    private bool _eof;

    public JsonLinesFileSource(string path)
    {
        if (!File.Exists(path))
        {
            throw new UsageException($"--from-file: file '{path}' does not exist");
        }

        _stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
    }

    public long Lines { get; private set; }

    public bool TryNext(DateTime nowUtc, out ReadOnlyMemory<byte> value)
    {
        while (true)
        {
            int newline = _buffer.AsSpan(_start, _end - _start).IndexOf((byte)'\n');
            if (newline >= 0)
            {
                value = _buffer.AsMemory(_start, newline);
                _start += newline + 1;
                Lines++;
                return true;
            }

            if (_eof)
            {
                if (_end > _start)
                {
                    value = _buffer.AsMemory(_start, _end - _start);
                    _start = _end;
                    Lines++;
                    return true;
                }

                value = default;
                return false;
            }

            Fill();
        }
    }

    private void Fill()
    {
        // The previous record's memory may still be referenced by the caller until this call: it has been copied by then.
        int pending = _end - _start;
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, pending);
            _start = 0;
            _end = pending;
        }

        if (_end == _buffer.Length)
        {
            Array.Resize(ref _buffer, _buffer.Length * 2);
        }

        int read = _stream.Read(_buffer, _end, _buffer.Length - _end);
        if (read == 0)
        {
            _eof = true;
        }

        _end += read;
    }

    public void Dispose() => _stream.Dispose();
}
