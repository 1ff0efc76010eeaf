using System.Diagnostics;

namespace Datastream.Pipelines;

/// <summary>
/// Where a pipeline's time goes: wall time summed per stage (poll, flatten, index, ...) over the whole run, so a
/// summary can say how many microseconds of each stage one record costs. Stages are timed around whole batches (a
/// timestamp costs ~20 ns, a batch is thousands of records), never per record. Written by the pipeline's loop, read
/// concurrently by the host.
/// </summary>
public sealed class StageTimes
{
    private readonly Lock _gate = new();
    private readonly List<string> _stages = [];
    private readonly List<long> _ticks = [];

    /// <summary>A timestamp to pass to <see cref="Add"/> when the stage ends.</summary>
    public static long Start() => Stopwatch.GetTimestamp();

    /// <summary>Adds the time since <paramref name="started"/> to <paramref name="stage"/>; returns now, the next stage's start.</summary>
    public long Add(string stage, long started)
    {
        long now = Stopwatch.GetTimestamp();
        lock (_gate)
        {
            int i = _stages.IndexOf(stage);
            if (i < 0)
            {
                _stages.Add(stage);
                _ticks.Add(0);
                i = _stages.Count - 1;
            }

            _ticks[i] += now - started;
        }

        return now;
    }

    /// <summary>Seconds spent per stage so far, in the order the stages were first timed.</summary>
    public IReadOnlyList<KeyValuePair<string, double>> Seconds()
    {
        lock (_gate)
        {
            return [.. _stages.Select((stage, i) => KeyValuePair.Create(stage, (double)_ticks[i] / Stopwatch.Frequency))];
        }
    }
}
