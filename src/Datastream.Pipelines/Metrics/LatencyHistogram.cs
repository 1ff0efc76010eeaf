namespace Datastream.Pipelines.Metrics;

/// <summary>
/// A lock-free log-bucketed histogram of milliseconds (2% relative precision, up to ~3 hours) for p50/p99 over
/// millions of records in constant memory. Percentiles report the upper bound of their bucket.
/// </summary>
public sealed class LatencyHistogram
{
    private const double Growth = 1.02;
    private static readonly double LogGrowth = Math.Log(Growth);
    private readonly long[] _buckets = new long[BucketOf(10_800_000) + 2];
    private long _count;

    public long Count => Interlocked.Read(ref _count);

    public void Record(double milliseconds)
    {
        int bucket = Math.Min(BucketOf(Math.Max(0, milliseconds)), _buckets.Length - 1);
        Interlocked.Increment(ref _buckets[bucket]);
        Interlocked.Increment(ref _count);
    }

    /// <summary>The value below which <paramref name="quantile"/> of the recorded values fall; 0 when empty.</summary>
    public double Percentile(double quantile)
    {
        long total = Count;
        if (total == 0)
        {
            return 0;
        }

        long rank = (long)Math.Ceiling(quantile * total);
        long seen = 0;
        for (int i = 0; i < _buckets.Length; i++)
        {
            seen += Interlocked.Read(ref _buckets[i]);
            if (seen >= rank)
            {
                return Math.Round(UpperBound(i), 1);
            }
        }

        return Math.Round(UpperBound(_buckets.Length - 1), 1);
    }

    private static int BucketOf(double milliseconds) => (int)(Math.Log(milliseconds + 1) / LogGrowth);

    private static double UpperBound(int bucket) => Math.Pow(Growth, bucket + 1) - 1;
}
