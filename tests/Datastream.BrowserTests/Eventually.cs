namespace Datastream.BrowserTests;

/// <summary>Waits for a condition of the running system with a generous deadline, instead of timing anything.</summary>
internal static class Eventually
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    /// <summary>Polls <paramref name="condition"/> until it holds; fails naming <paramref name="what"/> and the last observation otherwise.</summary>
    public static async Task HoldsAsync(string what, Func<Task<(bool Holds, string Observed)>> condition, TimeSpan? deadline = null)
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

            await Task.Delay(250, TestContext.Current.CancellationToken);
        }
    }
}
