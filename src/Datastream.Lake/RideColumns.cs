using Datastream.Core.Rides;

namespace Datastream.Lake;

/// <summary>
/// The buffered rows of one future file (one source partition, one hour), column by column: one array per column,
/// grown by doubling, so buffering a ride allocates nothing per row and the writer hands each array to Parquet as is.
/// </summary>
internal sealed class RideColumns
{
    private const int InitialCapacity = 1024;

    public RideColumns(int sourcePartition, DateTime hourUtc, long firstOffset)
    {
        SourcePartition = sourcePartition;
        HourUtc = hourUtc;
        FirstOffset = firstOffset;
        Allocate(InitialCapacity);
    }

    public int SourcePartition { get; }
    public DateTime HourUtc { get; }

    /// <summary>Offset of the first row: names the file, so a replay from the same offset rewrites it.</summary>
    public long FirstOffset { get; }

    public int Count { get; private set; }

    public Guid[] RideIds { get; private set; } = [];
    public DateTime[] Ts { get; private set; } = [];
    public Comfort[] Comforts { get; private set; } = [];
    public double[] OriginLat { get; private set; } = [];
    public double[] OriginLon { get; private set; } = [];
    public double[] DestinationLat { get; private set; } = [];
    public double[] DestinationLon { get; private set; } = [];
    public double[] DurationMin { get; private set; } = [];
    public double[] PriceBase { get; private set; } = [];
    public double[] PricePerKm { get; private set; } = [];
    public double[] PricePerMin { get; private set; } = [];
    public double[] DistanceKm { get; private set; } = [];
    public double[] PriceTotal { get; private set; } = [];
    public DateTime[] AgentTimestamps { get; private set; } = [];

    public LakeFileKey FileKey => new(HourUtc, SourcePartition, FirstOffset);

    public void Add(in FlatRide ride)
    {
        if (Count == RideIds.Length)
            Grow(Count * 2);
        var i = Count;
        RideIds[i] = ride.RideId;
        Ts[i] = ride.TsUtc;
        Comforts[i] = ride.Comfort;
        OriginLat[i] = ride.OriginLat;
        OriginLon[i] = ride.OriginLon;
        DestinationLat[i] = ride.DestinationLat;
        DestinationLon[i] = ride.DestinationLon;
        DurationMin[i] = ride.DurationMin;
        PriceBase[i] = ride.PriceBase;
        PricePerKm[i] = ride.PricePerKm;
        PricePerMin[i] = ride.PricePerMin;
        DistanceKm[i] = ride.DistanceKm;
        PriceTotal[i] = ride.PriceTotal;
        AgentTimestamps[i] = ride.AgentTimestampUtc;
        Count = i + 1;
    }

    private void Allocate(int capacity)
    {
        RideIds = new Guid[capacity];
        Ts = new DateTime[capacity];
        Comforts = new Comfort[capacity];
        OriginLat = new double[capacity];
        OriginLon = new double[capacity];
        DestinationLat = new double[capacity];
        DestinationLon = new double[capacity];
        DurationMin = new double[capacity];
        PriceBase = new double[capacity];
        PricePerKm = new double[capacity];
        PricePerMin = new double[capacity];
        DistanceKm = new double[capacity];
        PriceTotal = new double[capacity];
        AgentTimestamps = new DateTime[capacity];
    }

    private void Grow(int capacity)
    {
        RideIds = Resized(RideIds, capacity);
        Ts = Resized(Ts, capacity);
        Comforts = Resized(Comforts, capacity);
        OriginLat = Resized(OriginLat, capacity);
        OriginLon = Resized(OriginLon, capacity);
        DestinationLat = Resized(DestinationLat, capacity);
        DestinationLon = Resized(DestinationLon, capacity);
        DurationMin = Resized(DurationMin, capacity);
        PriceBase = Resized(PriceBase, capacity);
        PricePerKm = Resized(PricePerKm, capacity);
        PricePerMin = Resized(PricePerMin, capacity);
        DistanceKm = Resized(DistanceKm, capacity);
        PriceTotal = Resized(PriceTotal, capacity);
        AgentTimestamps = Resized(AgentTimestamps, capacity);
    }

    private static T[] Resized<T>(T[] array, int capacity)
    {
        Array.Resize(ref array, capacity);
        return array;
    }
}
