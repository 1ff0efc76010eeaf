namespace Datastream.Elasticsearch;

/// <summary>
/// Exponential backoff with jitter between attempts of a request Elasticsearch pushed back: the delay doubles from
/// the minimum up to the maximum, and each wait is a random share (50–100 %) of it so that many writers pushed back
/// together do not all come back at the same instant.
/// </summary>
internal sealed class RetryBackoff(TimeSpan min, TimeSpan max)
{
    public TimeSpan DelayBefore(int retry)
    {
        double ceiling = Math.Min(max.TotalMilliseconds, min.TotalMilliseconds * Math.Pow(2, Math.Min(retry, 30)));
        return TimeSpan.FromMilliseconds(ceiling * (0.5 + Random.Shared.NextDouble() / 2));
    }
}
