using System.Text.RegularExpressions;

namespace Datastream.Tests.Observability;

/// <summary>
/// The alert names and expressions of a Prometheus rules file. The repository has no YAML library and this file
/// needs only two keys, so it reads "- alert:" and "expr:" lines, with an expression written inline or as a block
/// scalar (| |- > >-). promtool validates the file as a whole; the tests also check that every rule yielded an
/// expression, so a rule this reader cannot follow fails instead of going unchecked.
/// </summary>
internal static partial class AlertRulesFile
{
    public static IReadOnlyList<(string Alert, string Expression)> Read(string path)
    {
        string[] lines = File.ReadAllLines(path);
        var rules = new List<(string, string)>();
        string? alert = null;
        for (int i = 0; i < lines.Length; i++)
        {
            var alertLine = AlertLine().Match(lines[i]);
            if (alertLine.Success)
            {
                alert = alertLine.Groups["name"].Value;
                continue;
            }

            var exprLine = ExprLine().Match(lines[i]);
            if (!exprLine.Success || alert is null)
            {
                continue;
            }

            string value = exprLine.Groups["value"].Value.Trim();
            string expression;
            if (value is "|" or "|-" or ">" or ">-")
            {
                int keyIndent = exprLine.Groups["indent"].Value.Length;
                var block = new List<string>();
                for (; i + 1 < lines.Length && (lines[i + 1].Trim().Length == 0 || Indent(lines[i + 1]) > keyIndent); i++)
                {
                    block.Add(lines[i + 1].Trim());
                }

                expression = string.Join("\n", block).Trim();
            }
            else
            {
                expression = Unquote(value);
            }

            rules.Add((alert, expression));
            alert = null;
        }

        return rules;
    }

    public static int CountAlerts(string path) => File.ReadAllLines(path).Count(l => AlertLine().IsMatch(l));

    private static int Indent(string line) => line.Length - line.TrimStart(' ').Length;

    private static string Unquote(string value) =>
        value.Length >= 2 && (value[0] == '"' && value[^1] == '"' || value[0] == '\'' && value[^1] == '\'') ? value[1..^1] : value;

    [GeneratedRegex(@"^\s*-\s+alert:\s*(?<name>\S+)\s*$")]
    private static partial Regex AlertLine();

    [GeneratedRegex(@"^(?<indent>\s*)expr:\s*(?<value>.*)$")]
    private static partial Regex ExprLine();
}
