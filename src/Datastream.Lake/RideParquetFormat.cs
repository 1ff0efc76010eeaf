using System.Buffers;
using Datastream.Core.Rides;
using Parquet;
using Parquet.Schema;

namespace Datastream.Lake;

/// <summary>
/// The Parquet shape of a lake file (SPEC §3.6, flat columns only): ride_id and comfort as UTF-8 strings, ts and
/// agent_timestamp as UTC timestamps in microseconds (TIMESTAMP WITH TIME ZONE for DuckDB, TIMESTAMP for BigQuery),
/// every measure as a double. A file's rows come in row groups of <see cref="LakeOptions.RowGroupRows"/>.
/// </summary>
public static class RideParquetFormat
{
    private const int GuidChars = 36;

    // The columns of RideSchema.Flat, in its order. Strings are declared non-nullable: nullable string columns need
    // definition levels on the low-level write path.
    private static readonly DataField[] Fields = [.. RideSchema.Flat.Select(FieldOf)];

    private static readonly ParquetSchema Schema = new(Fields);

    // Indexed by (byte)Comfort; shared by every row, so the comfort column costs no string per row.
    private static readonly ReadOnlyMemory<char>[] ComfortNamesByLevel =
        [Comfort.Low.WireName().AsMemory(), Comfort.Medium.WireName().AsMemory(), Comfort.High.WireName().AsMemory()];

    /// <summary>Column names in file order.</summary>
    public static IReadOnlyList<string> ColumnNames { get; } = Schema.DataFields.Select(f => f.Name).ToArray();

    /// <summary>Starts a lake file in <paramref name="output"/>: its row groups follow (<see cref="WriteRowGroupAsync"/>), its footer on disposal.</summary>
    internal static Task<ParquetWriter> CreateWriterAsync(Stream output, LakeCompression compression, CancellationToken cancellationToken)
    {
        var options = new ParquetOptions
        {
            CompressionMethod = compression == LakeCompression.Zstd ? CompressionMethod.Zstd : CompressionMethod.Snappy,
            // The default, SmallestSize, is zstd level 22: about 100 times slower than Optimal for a few percent; and
            // Fastest still makes files a third smaller than snappy's at close to snappy's encoding cost.
            CompressionLevel = System.IO.Compression.CompressionLevel.Fastest,
        };
        return ParquetWriter.CreateAsync(Schema, output, options, cancellationToken: cancellationToken);
    }

    /// <summary>Writes the buffered rows as one row group of the file <paramref name="writer"/> writes.</summary>
    internal static async ValueTask WriteRowGroupAsync(ParquetWriter writer, LakeFileBuffer rows, CancellationToken cancellationToken)
    {
        var count = rows.Count;
        // The ids are formatted into one rented char buffer and handed over as slices: no string per ride.
        var idChars = ArrayPool<char>.Shared.Rent(count * GuidChars);
        var ids = ArrayPool<ReadOnlyMemory<char>>.Shared.Rent(count);
        var comforts = ArrayPool<ReadOnlyMemory<char>>.Shared.Rent(count);
        try
        {
            for (var i = 0; i < count; i++)
            {
                var slice = idChars.AsMemory(i * GuidChars, GuidChars);
                rows.RideIds[i].TryFormat(slice.Span, out _, "D");
                ids[i] = slice;
                comforts[i] = ComfortNamesByLevel[(int)rows.Comforts[i]];
            }

            using var group = writer.CreateRowGroup();
            // The buffer keeps its instants and numbers in schema order too, so the n-th of a type is the n-th column of it.
            int instant = 0, number = 0;
            for (var i = 0; i < Fields.Length; i++)
            {
                var column = Fields[i];
                var write = RideSchema.Flat[i].Type switch
                {
                    RideValueType.Uuid => group.WriteAsync<ReadOnlyMemory<char>>(column, ids.AsMemory(0, count), cancellationToken: cancellationToken),
                    RideValueType.Comfort => group.WriteAsync<ReadOnlyMemory<char>>(column, comforts.AsMemory(0, count), cancellationToken: cancellationToken),
                    RideValueType.Instant => group.WriteAsync<DateTime>(column, rows.Instants[instant++].AsMemory(0, count), cancellationToken: cancellationToken),
                    _ => group.WriteAsync<double>(column, rows.Numbers[number++].AsMemory(0, count), cancellationToken: cancellationToken),
                };
                await write.ConfigureAwait(false);
            }
        }
        finally
        {
            ArrayPool<char>.Shared.Return(idChars);
            ArrayPool<ReadOnlyMemory<char>>.Shared.Return(ids, clearArray: true);
            ArrayPool<ReadOnlyMemory<char>>.Shared.Return(comforts, clearArray: true);
        }
    }

    /// <summary>Reads a lake file back (every row group), for checks and tools; allocates per row.</summary>
    public static async ValueTask<IReadOnlyList<FlatRide>> ReadAsync(Stream input, CancellationToken cancellationToken = default)
    {
        await using var reader = await ParquetReader.CreateAsync(input, leaveStreamOpen: true, cancellationToken: cancellationToken).ConfigureAwait(false);
        var fields = reader.Schema.DataFields.ToDictionary(f => f.Name, StringComparer.Ordinal);
        var rides = new List<FlatRide>();
        for (var g = 0; g < reader.RowGroupCount; g++)
        {
            using var group = reader.OpenRowGroupReader(g);
            var n = checked((int)group.RowCount);
            string?[] ids = [], comforts = [];
            var instants = new List<DateTime[]>();
            var numbers = new List<double[]>();
            foreach (var field in RideSchema.Flat)
            {
                var column = fields[field.Name];
                switch (field.Type)
                {
                    case RideValueType.Uuid or RideValueType.Comfort:
                        var text = new string?[n];
                        await group.ReadAsync(column, text.AsMemory(), cancellationToken: cancellationToken).ConfigureAwait(false);
                        (ids, comforts) = field.Type == RideValueType.Uuid ? (text, comforts) : (ids, text);
                        break;
                    case RideValueType.Instant:
                        instants.Add(await ReadColumn<DateTime>(group, column, n, cancellationToken).ConfigureAwait(false));
                        break;
                    default:
                        numbers.Add(await ReadColumn<double>(group, column, n, cancellationToken).ConfigureAwait(false));
                        break;
                }
            }

            // FlatRide's members are in schema order: ts, then the numbers, then agent_timestamp.
            var (ts, agent, measures) = (instants[0], instants[1], numbers);
            for (var i = 0; i < n; i++)
            {
                if (!ComfortNames.TryParse(comforts[i] ?? "", out var comfort))
                {
                    throw new InvalidDataException($"Unknown comfort '{comforts[i]}' in a lake file.");
                }

                rides.Add(new FlatRide(
                    Guid.ParseExact(ids[i] ?? "", "D"),
                    DateTime.SpecifyKind(ts[i], DateTimeKind.Utc),
                    comfort,
                    measures[0][i], measures[1][i], measures[2][i], measures[3][i], measures[4][i],
                    measures[5][i], measures[6][i], measures[7][i], measures[8][i], measures[9][i],
                    DateTime.SpecifyKind(agent[i], DateTimeKind.Utc)));
            }
        }

        return rides;
    }

    private static DataField FieldOf(RideSchemaField field) => field.Type switch
    {
        RideValueType.Uuid or RideValueType.Comfort => new DataField<string>(field.Name, false),
        RideValueType.Instant => new DateTimeDataField(field.Name, DateTimeFormat.Timestamp, isAdjustedToUTC: true, unit: DateTimeTimeUnit.Micros, isNullable: false),
        RideValueType.Number => new DataField<double>(field.Name),
        _ => throw new InvalidOperationException($"{field.Name}: the lake holds flat fields only (SPEC §3.6)"),
    };

    private static async ValueTask<T[]> ReadColumn<T>(ParquetRowGroupReader group, DataField field, int count, CancellationToken cancellationToken)
        where T : struct
    {
        var values = new T[count];
        await group.ReadAsync<T>(field, values.AsMemory(), cancellationToken: cancellationToken).ConfigureAwait(false);
        return values;
    }
}
