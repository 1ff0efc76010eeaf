namespace Datastream.Testing;

/// <summary>
/// Waits for a condition of a running system with a generous deadline, instead of timing anything: a test states
/// what must happen, and fails naming it (and the last thing it saw) only when it never does.
/// </summary>
internal static class Eventually
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    /// <summary>Polls <paramref name="condition"/> every <paramref name="interval"/> (default 250 ms) until it holds.</summary>
    public static async Task HoldsAsync(string what, Func<Task<(bool Holds, string Observed)>> condition, TimeSpan? deadline = null, TimeSpan? interval = null)
    {
        var until = DateTime.UtcNow + (deadline ?? Deadline);
        string observed = "nothing observed";
        while (true)
        {
            (bool holds, observed) = await condition();
            if (holds)
            {
                return;
            }

            if (DateTime.UtcNow > until)
            {
                Assert.Fail($"{what} did not happen within {(deadline ?? Deadline).TotalSeconds:F0} s; last observed: {observed}");
            }

            await Task.Delay(interval ?? TimeSpan.FromMilliseconds(250), TestContext.Current.CancellationToken);
        }
    }

    public static Task HoldsAsync(string what, Func<Task<bool>> condition, TimeSpan? deadline = null, TimeSpan? interval = null) =>
        HoldsAsync(what, async () => (await condition(), "the condition was false"), deadline, interval);

    public static Task HoldsAsync(string what, Func<bool> condition, TimeSpan? deadline = null, TimeSpan? interval = null) =>
        HoldsAsync(what, () => Task.FromResult((condition(), "the condition was false")), deadline, interval);
}
