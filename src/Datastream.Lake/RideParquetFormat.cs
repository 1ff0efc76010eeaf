using System.Buffers;
using Datastream.Core.Rides;
using Parquet;
using Parquet.Schema;

namespace Datastream.Lake;

/// <summary>
/// The Parquet shape of a lake file (SPEC §3.6, flat columns only): ride_id and comfort as UTF-8 strings, ts and
/// agent_timestamp as UTC timestamps in microseconds (TIMESTAMP WITH TIME ZONE for DuckDB, TIMESTAMP for BigQuery),
/// every measure as a double. One row group per file.
/// </summary>
public static class RideParquetFormat
{
    private const int GuidChars = 36;

    // Strings are declared non-nullable: nullable string columns need definition levels on the low-level write path.
    private static readonly DataField<string> RideId = new("ride_id", false);
    private static readonly DateTimeDataField Ts = Timestamp("ts");
    private static readonly DataField<string> ComfortField = new("comfort", false);
    private static readonly DataField<double> OriginLat = new("origin_lat");
    private static readonly DataField<double> OriginLon = new("origin_lon");
    private static readonly DataField<double> DestinationLat = new("destination_lat");
    private static readonly DataField<double> DestinationLon = new("destination_lon");
    private static readonly DataField<double> DurationMin = new("duration_min");
    private static readonly DataField<double> PriceBase = new("price_base");
    private static readonly DataField<double> PricePerKm = new("price_per_km");
    private static readonly DataField<double> PricePerMin = new("price_per_min");
    private static readonly DataField<double> DistanceKm = new("distance_km");
    private static readonly DataField<double> PriceTotal = new("price_total");
    private static readonly DateTimeDataField AgentTimestamp = Timestamp("agent_timestamp");

    private static readonly ParquetSchema Schema = new(
        RideId, Ts, ComfortField, OriginLat, OriginLon, DestinationLat, DestinationLon, DurationMin,
        PriceBase, PricePerKm, PricePerMin, DistanceKm, PriceTotal, AgentTimestamp);

    // Indexed by (byte)Comfort; shared by every row, so the comfort column costs no string per row.
    private static readonly ReadOnlyMemory<char>[] ComfortNamesByLevel =
        [Comfort.Low.WireName().AsMemory(), Comfort.Medium.WireName().AsMemory(), Comfort.High.WireName().AsMemory()];

    /// <summary>Column names in file order.</summary>
    public static IReadOnlyList<string> ColumnNames { get; } = Schema.DataFields.Select(f => f.Name).ToArray();

    internal static async ValueTask WriteAsync(Stream output, RideColumns rows, LakeCompression compression, CancellationToken cancellationToken)
    {
        var options = new ParquetOptions
        {
            CompressionMethod = compression == LakeCompression.Zstd ? CompressionMethod.Zstd : CompressionMethod.Snappy,
            // The default, SmallestSize, is zstd level 22: about 100 times slower than Optimal for a few percent.
            CompressionLevel = System.IO.Compression.CompressionLevel.Optimal,
        };
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

            await using var writer = await ParquetWriter.CreateAsync(Schema, output, options, cancellationToken: cancellationToken).ConfigureAwait(false);
            using var group = writer.CreateRowGroup();
            await group.WriteAsync<ReadOnlyMemory<char>>(RideId, ids.AsMemory(0, count), cancellationToken: cancellationToken).ConfigureAwait(false);
            await group.WriteAsync<DateTime>(Ts, rows.Ts.AsMemory(0, count), cancellationToken: cancellationToken).ConfigureAwait(false);
            await group.WriteAsync<ReadOnlyMemory<char>>(ComfortField, comforts.AsMemory(0, count), cancellationToken: cancellationToken).ConfigureAwait(false);
            await WriteDoubles(group, OriginLat, rows.OriginLat, count, cancellationToken).ConfigureAwait(false);
            await WriteDoubles(group, OriginLon, rows.OriginLon, count, cancellationToken).ConfigureAwait(false);
            await WriteDoubles(group, DestinationLat, rows.DestinationLat, count, cancellationToken).ConfigureAwait(false);
            await WriteDoubles(group, DestinationLon, rows.DestinationLon, count, cancellationToken).ConfigureAwait(false);
            await WriteDoubles(group, DurationMin, rows.DurationMin, count, cancellationToken).ConfigureAwait(false);
            await WriteDoubles(group, PriceBase, rows.PriceBase, count, cancellationToken).ConfigureAwait(false);
            await WriteDoubles(group, PricePerKm, rows.PricePerKm, count, cancellationToken).ConfigureAwait(false);
            await WriteDoubles(group, PricePerMin, rows.PricePerMin, count, cancellationToken).ConfigureAwait(false);
            await WriteDoubles(group, DistanceKm, rows.DistanceKm, count, cancellationToken).ConfigureAwait(false);
            await WriteDoubles(group, PriceTotal, rows.PriceTotal, count, cancellationToken).ConfigureAwait(false);
            await group.WriteAsync<DateTime>(AgentTimestamp, rows.AgentTimestamps.AsMemory(0, count), cancellationToken: cancellationToken).ConfigureAwait(false);
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
            var ids = new string?[n];
            await group.ReadAsync(fields[RideId.Name], ids.AsMemory(), cancellationToken: cancellationToken).ConfigureAwait(false);
            var comforts = new string?[n];
            await group.ReadAsync(fields[ComfortField.Name], comforts.AsMemory(), cancellationToken: cancellationToken).ConfigureAwait(false);
            var ts = await ReadColumn<DateTime>(group, fields[Ts.Name], n, cancellationToken).ConfigureAwait(false);
            var agent = await ReadColumn<DateTime>(group, fields[AgentTimestamp.Name], n, cancellationToken).ConfigureAwait(false);
            var measures = new double[11][];
            DataField[] measureFields = [OriginLat, OriginLon, DestinationLat, DestinationLon, DurationMin, PriceBase, PricePerKm, PricePerMin, DistanceKm, PriceTotal];
            for (var m = 0; m < measureFields.Length; m++)
                measures[m] = await ReadColumn<double>(group, fields[measureFields[m].Name], n, cancellationToken).ConfigureAwait(false);

            for (var i = 0; i < n; i++)
            {
                if (!ComfortNames.TryParse(comforts[i] ?? "", out var comfort))
                    throw new InvalidDataException($"Unknown comfort '{comforts[i]}' in a lake file.");
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

    private static DateTimeDataField Timestamp(string name) =>
        new(name, DateTimeFormat.Timestamp, isAdjustedToUTC: true, unit: DateTimeTimeUnit.Micros, isNullable: false);

    private static Task WriteDoubles(ParquetRowGroupWriter group, DataField<double> field, double[] values, int count, CancellationToken cancellationToken) =>
        group.WriteAsync<double>(field, values.AsMemory(0, count), cancellationToken: cancellationToken);

    private static async ValueTask<T[]> ReadColumn<T>(ParquetRowGroupReader group, DataField field, int count, CancellationToken cancellationToken)
        where T : struct
    {
        var values = new T[count];
        await group.ReadAsync<T>(field, values.AsMemory(), cancellationToken: cancellationToken).ConfigureAwait(false);
        return values;
    }
}
