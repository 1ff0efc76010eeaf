namespace Datastream.Benchmarks.Kafka;

/// <summary>
/// One pass's steady rate: records committed after the first transaction, over the time from the end of the first
/// transaction to the end of the last. Group join, InitTransactions and the first fetch cost the same fixed second or
/// so to both contenders and would otherwise dominate runs of a few seconds.
/// </summary>
internal readonly record struct PassRate(long Records, TimeSpan Elapsed, int Transactions)
{
    public double PerSecond => Records / Elapsed.TotalSeconds;

    public override string ToString() => $"{PerSecond,9:N0} msg/s ({Records:N0} in {Elapsed.TotalSeconds:0.000} s, {Transactions} transactions)";
}
