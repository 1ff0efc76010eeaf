using System.Globalization;
using System.Text.RegularExpressions;

namespace Datastream.IntegrationTests.WebApp;

/// <summary>Reads the Prometheus text exposition format (what GET /metrics returns) into samples, independently of the exporter.</summary>
public sealed partial class PrometheusText
{
    private readonly List<(string Name, Dictionary<string, string> Labels, double Value)> _samples = [];

    public static PrometheusText Parse(string text)
    {
        var parsed = new PrometheusText();
        foreach (string line in text.Split('\n'))
        {
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var match = Sample().Match(line);
            Assert.True(match.Success, $"not a Prometheus sample line: {line}");
            var labels = Label().Matches(match.Groups["labels"].Value).ToDictionary(m => m.Groups["key"].Value, m => m.Groups["value"].Value);
            parsed._samples.Add((match.Groups["name"].Value, labels, double.Parse(match.Groups["value"].Value, CultureInfo.InvariantCulture)));
        }

        return parsed;
    }

    /// <summary>The sum of the samples of <paramref name="name"/> whose labels include all of <paramref name="labels"/>.</summary>
    public double Sum(string name, params (string Key, string Value)[] labels) =>
        _samples.Where(s => s.Name == name && labels.All(l => s.Labels.GetValueOrDefault(l.Key) == l.Value)).Sum(s => s.Value);

    public bool Has(string name) => _samples.Any(s => s.Name == name);

    /// <summary>The samples of <paramref name="name"/>: their labels and values.</summary>
    public IReadOnlyList<(IReadOnlyDictionary<string, string> Labels, double Value)> Samples(string name) =>
        [.. _samples.Where(s => s.Name == name).Select(s => ((IReadOnlyDictionary<string, string>)s.Labels, s.Value))];

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>.*)\})?\s+(?<value>[^\s]+)(\s+\d+)?$")]
    private static partial Regex Sample();

    [GeneratedRegex(@"(?<key>[a-zA-Z_][a-zA-Z0-9_]*)=""(?<value>(?:[^""\\]|\\.)*)""")]
    private static partial Regex Label();
}
