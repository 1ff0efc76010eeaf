using System.Diagnostics;

namespace Datastream.Hosting;

/// <summary>
/// Samples the resident set size every 250 ms so a run can show that memory stays flat: the summary compares the
/// largest RSS of the second quarter of the run with that of the last quarter.
/// </summary>
public sealed class MemorySampler
{
    private readonly List<double> _samples = [];
    private readonly SamplingLoop _loop;

    public MemorySampler()
    {
        _loop = new SamplingLoop(TimeSpan.FromMilliseconds(250), () =>
        {
            lock (_samples)
            {
                _samples.Add(ResidentMb());
            }
        });
    }

    public double CurrentMb => ResidentMb();

    public Task RunAsync(CancellationToken cancellation) => _loop.RunAsync(cancellation);

    public void Stop() => _loop.Stop();

    public MemorySummary Summary()
    {
        lock (_samples)
        {
            double peak = Math.Round(Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0, 1);
            if (_samples.Count < 4)
            {
                return new MemorySummary(peak, peak, peak, _samples.Count);
            }

            int quarter = _samples.Count / 4;
            double second = _samples.Skip(quarter).Take(quarter).Max();
            double last = _samples.Skip(_samples.Count - quarter).Max();
            return new MemorySummary(peak, Math.Round(second, 1), Math.Round(last, 1), _samples.Count);
        }
    }

    private static double ResidentMb()
    {
        using var self = Process.GetCurrentProcess();
        return self.WorkingSet64 / 1048576.0;
    }
}

/// <summary>RSS in MB: the peak, the largest of the run's second quarter and of its last quarter (flat memory: last ≈ second).</summary>
public sealed record MemorySummary(double Peak, double SecondQuarter, double LastQuarter, int Samples);
