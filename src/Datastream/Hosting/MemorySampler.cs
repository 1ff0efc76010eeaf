using System.Diagnostics;

namespace Datastream.Hosting;

/// <summary>
/// Samples the resident set size every 250 ms so a run can show that memory stays flat: the summary compares the
/// largest RSS of the second quarter of the run with that of the last quarter.
/// </summary>
public sealed class MemorySampler
{
    private readonly List<double> _samples = [];
    private readonly CancellationTokenSource _stop = new();

    public double CurrentMb => ResidentMb();

    public async Task RunAsync(CancellationToken cancellation)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellation, _stop.Token);
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(250));
        try
        {
            do
            {
                lock (_samples)
                {
                    _samples.Add(ResidentMb());
                }
            }
            while (await timer.WaitForNextTickAsync(linked.Token));
        }
        catch (OperationCanceledException)
        {
        }
    }

    public void Stop() => _stop.Cancel();

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
