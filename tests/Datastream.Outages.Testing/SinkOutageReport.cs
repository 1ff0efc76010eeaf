namespace Datastream.Outages.Testing;

/// <summary>What a scenario observed, for the test's own checks and its output.</summary>
/// <param name="FailedBatches">Failed attempts while each outage lasted, in order.</param>
/// <param name="Reasons">The pipeline's last_error seen with state retrying during each outage.</param>
/// <param name="MaxBufferedRows">The most rows the lake held at any sample taken during the outages.</param>
/// <param name="Rides">Valid rides in rides_result, each once in the index and in the lake at the end.</param>
/// <param name="DeadLetters">Bad records in rides_result, each once in rides_dlq at the end.</param>
public sealed record SinkOutageReport(
    IReadOnlyList<long> FailedBatches,
    IReadOnlyList<string> Reasons,
    int MaxBufferedRows,
    int Rides,
    int DeadLetters)
{
    public override string ToString() =>
        $"{Rides} rides, {DeadLetters} dead letters; failed attempts per outage: {string.Join(", ", FailedBatches)}; " +
        $"at most {MaxBufferedRows} rows buffered in the lake; reasons: {string.Join(" | ", Reasons)}";
}
