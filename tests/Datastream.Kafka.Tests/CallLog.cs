namespace Datastream.Kafka.Tests;

/// <summary>The calls the test doubles received, in order, from whichever thread made them.</summary>
internal sealed class CallLog
{
    private readonly List<string> _calls = [];

    public void Add(string call)
    {
        lock (_calls)
        {
            _calls.Add(call);
        }
    }

    public IReadOnlyList<string> Snapshot()
    {
        lock (_calls)
        {
            return _calls.ToList();
        }
    }
}
