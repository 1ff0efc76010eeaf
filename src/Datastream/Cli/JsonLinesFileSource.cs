using Datastream.Pipelines.Producer;

namespace Datastream.Cli;

/// <summary>
/// The lines of a file as records, each sent unchanged (SPEC §5 produce --from-file): only the "\n" that ends a line
/// is removed, and a final newline does not make an extra empty record. Streams, so files of any size work.
/// </summary>
public sealed class JsonLinesFileSource : IRecordSource, IDisposable
{
    private readonly Stream stream;
    private byte[] buffer = new byte[1 << 20];
    private int start;
    private int end;
    private bool eof;

    public JsonLinesFileSource(string path)
    {
        if (!File.Exists(path))
        {
            throw new UsageException($"--from-file: file '{path}' does not exist");
        }

        stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
    }

    public long Lines { get; private set; }

    public bool TryNext(DateTime nowUtc, out ReadOnlyMemory<byte> value)
    {
        while (true)
        {
            int newline = buffer.AsSpan(start, end - start).IndexOf((byte)'\n');
            if (newline >= 0)
            {
                value = buffer.AsMemory(start, newline);
                start += newline + 1;
                Lines++;
                return true;
            }

            if (eof)
            {
                if (end > start)
                {
                    value = buffer.AsMemory(start, end - start);
                    start = end;
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
        int pending = end - start;
        if (start > 0)
        {
            Buffer.BlockCopy(buffer, start, buffer, 0, pending);
            start = 0;
            end = pending;
        }

        if (end == buffer.Length)
        {
            Array.Resize(ref buffer, buffer.Length * 2);
        }

        int read = stream.Read(buffer, end, buffer.Length - end);
        if (read == 0)
        {
            eof = true;
        }

        end += read;
    }

    public void Dispose() => stream.Dispose();
}
