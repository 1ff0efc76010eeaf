namespace Datastream.Embedded.Tests;

/// <summary>A clock the test moves by hand, so lease expiry and retention are deterministic.</summary>
internal sealed class ManualClock : TimeProvider
{
    private DateTimeOffset _now = new(2025, 10, 30, 16, 0, 0, TimeSpan.Zero);

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}
