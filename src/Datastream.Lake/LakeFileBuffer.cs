using Datastream.Core.Rides;

namespace Datastream.Lake;

/// <summary>
/// The buffered rows of one future file (one source partition, one hour) not encoded yet, column by column: one array per field of
/// <see cref="RideSchema.Flat"/>, grown by doubling, so buffering a ride allocates nothing per row and the writer
/// hands each array to Parquet as is. Reusable for another file once written (<see cref="Reuse"/>): its arrays keep
/// their size, so a lake rolling files of similar size stops allocating large arrays after its first files.
/// </summary>
internal sealed class LakeFileBuffer
{
    private const int InitialCapacity = 1024;

    public LakeFileBuffer(int sourcePartition, DateTime hourUtc, long firstOffset)
    {
        SourcePartition = sourcePartition;
        HourUtc = hourUtc;
        FirstOffset = firstOffset;
        RideIds = new Guid[InitialCapacity];
        Comforts = new Comfort[InitialCapacity];
        Instants = [.. InstantFields.Select(_ => new DateTime[InitialCapacity])];
        Numbers = [.. RideSchema.Numbers.Select(_ => new double[InitialCapacity])];
    }

    /// <summary>The instants of the schema (ts, agent_timestamp), in its order: the order of <see cref="Instants"/>.</summary>
    public static IReadOnlyList<RideSchemaField> InstantFields { get; } = [.. RideSchema.Flat.Where(f => f.Type == RideValueType.Instant)];

    public int SourcePartition { get; private set; }
    public DateTime HourUtc { get; private set; }

    /// <summary>Offset of the first row: names the file, so a replay from the same offset rewrites it.</summary>
    public long FirstOffset { get; private set; }

    public int Count { get; private set; }

    public Guid[] RideIds { get; private set; }
    public Comfort[] Comforts { get; private set; }

    /// <summary>One column per field of <see cref="InstantFields"/>.</summary>
    public DateTime[][] Instants { get; }

    /// <summary>One column per field of <see cref="RideSchema.Numbers"/>.</summary>
    public double[][] Numbers { get; }

    public LakeFileKey FileKey => new(HourUtc, SourcePartition, FirstOffset);

    public void Add(in FlatRide ride)
    {
        if (Count == RideIds.Length)
        {
            Grow(Count * 2);
        }

        var i = Count;
        RideIds[i] = ride.RideId;
        Comforts[i] = ride.Comfort;
        for (var c = 0; c < Instants.Length; c++)
        {
            Instants[c][i] = InstantFields[c].InstantOf(ride);
        }

        for (var c = 0; c < Numbers.Length; c++)
        {
            Numbers[c][i] = RideSchema.Numbers[c].NumberOf(ride);
        }

        Count = i + 1;
    }

    /// <summary>Empties the buffer for another file; rows past <see cref="Count"/> are never read, so nothing is cleared.</summary>
    public LakeFileBuffer Reuse(int sourcePartition, DateTime hourUtc, long firstOffset)
    {
        SourcePartition = sourcePartition;
        HourUtc = hourUtc;
        FirstOffset = firstOffset;
        Count = 0;
        return this;
    }

    /// <summary>Empties the buffer for the same file's next row group.</summary>
    public void Clear() => Count = 0;

    private void Grow(int capacity)
    {
        RideIds = Resized(RideIds, capacity);
        Comforts = Resized(Comforts, capacity);
        for (var c = 0; c < Instants.Length; c++)
        {
            Instants[c] = Resized(Instants[c], capacity);
        }

        for (var c = 0; c < Numbers.Length; c++)
        {
            Numbers[c] = Resized(Numbers[c], capacity);
        }
    }

    private static T[] Resized<T>(T[] array, int capacity)
    {
        Array.Resize(ref array, capacity);
        return array;
    }
}
