using System.Text.RegularExpressions;

namespace Datastream.Tests.Observability;

/// <summary>
/// Finds the metric names a PromQL expression selects and says which of them the app does not export. It is not a
/// PromQL parser (promtool checks syntax); it only has to tell a metric name from the other words of an
/// expression: functions and aggregations are followed by "(", label names sit inside {...} or by/on(...),
/// durations inside [...] or after offset, Grafana variables start with "$".
/// </summary>
internal static partial class MetricNameChecker
{
    private static readonly HashSet<string> Keywords = new(StringComparer.OrdinalIgnoreCase)
    {
        "and", "or", "unless", "bool", "offset", "by", "without", "on", "ignoring", "group_left", "group_right", "atan2", "inf", "nan",
    };

    public static IReadOnlySet<string> MetricNames(string expression)
    {
        // Grafana's label_values(selector, label): the label is not a metric.
        var labelValues = LabelValuesCall().Match(expression);
        if (labelValues.Success)
        {
            expression = labelValues.Groups["selector"].Value;
        }

        string text = StringLiteral().Replace(expression, "\"\"");
        text = Comment().Replace(text, string.Empty);
        text = Braces().Replace(text, "{}");
        text = Brackets().Replace(text, "[]");
        text = GroupingLabels().Replace(text, " ");
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (Match token in Token().Matches(text))
        {
            string word = token.Groups["word"].Value;
            bool variable = token.Index > 0 && text[token.Index - 1] == '$';
            bool call = token.Groups["call"].Success;
            if (word.Length == 0 || variable || call || Keywords.Contains(word))
            {
                continue;
            }

            names.Add(word);
        }

        return names;
    }

    /// <summary>The names <paramref name="expression"/> selects that are neither exported nor added by Prometheus.</summary>
    public static IReadOnlyList<string> Unknown(string expression, IReadOnlySet<string> exported) =>
        MetricNames(expression).Where(n => !exported.Contains(n) && !ExportedMetrics.AddedByPrometheus.Contains(n)).Order(StringComparer.Ordinal).ToList();

    [GeneratedRegex(@"^\s*label_values\s*\((?<selector>.*),\s*[A-Za-z_][A-Za-z0-9_]*\s*\)\s*$", RegexOptions.Singleline)]
    private static partial Regex LabelValuesCall();

    [GeneratedRegex("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'|`[^`]*`")]
    private static partial Regex StringLiteral();

    [GeneratedRegex("#[^\n]*")]
    private static partial Regex Comment();

    [GeneratedRegex(@"\{[^{}]*\}")]
    private static partial Regex Braces();

    [GeneratedRegex(@"\[[^\[\]]*\]")]
    private static partial Regex Brackets();

    [GeneratedRegex(@"\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^()]*\)", RegexOptions.IgnoreCase)]
    private static partial Regex GroupingLabels();

    // A number (with a duration unit or exponent) is consumed whole so that "10m" or "1e3" yields no word.
    [GeneratedRegex(@"\d[\w.]*|(?<word>[A-Za-z_:][A-Za-z0-9_:]*)(?<call>\s*\()?")]
    private static partial Regex Token();
}
