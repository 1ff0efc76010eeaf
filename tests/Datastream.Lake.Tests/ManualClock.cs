namespace Datastream.Lake.Tests;

/// <summary>A clock the test moves by hand, for the roll interval.</summary>
internal sealed class ManualClock(DateTime startUtc) : TimeProvider
{
    public DateTime UtcNow { get; private set; } = startUtc;

    public void Advance(TimeSpan by) => UtcNow += by;

    public override DateTimeOffset GetUtcNow() => new(UtcNow, TimeSpan.Zero);
}
