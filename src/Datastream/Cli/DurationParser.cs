using System.Globalization;

namespace Datastream.Cli;

/// <summary>Reads durations such as 90s, 5m, 1h30m, 250ms or 00:01:30.</summary>
public static class DurationParser
{
    public static TimeSpan Parse(string text, string optionName)
    {
        string s = text.Trim();
        if (TimeSpan.TryParse(s, CultureInfo.InvariantCulture, out var span) && s.Contains(':', StringComparison.Ordinal))
        {
            return Positive(span, text, optionName);
        }

        var total = TimeSpan.Zero;
        int i = 0;
        while (i < s.Length)
        {
            int start = i;
            while (i < s.Length && (char.IsAsciiDigit(s[i]) || s[i] == '.'))
            {
                i++;
            }

            int unitStart = i;
            while (i < s.Length && char.IsAsciiLetter(s[i]))
            {
                i++;
            }

            if (start == unitStart || !double.TryParse(s.AsSpan(start, unitStart - start), NumberStyles.Float, CultureInfo.InvariantCulture, out double value))
            {
                throw Invalid(text, optionName);
            }

            total += s[unitStart..i].ToLowerInvariant() switch
            {
                "ms" => TimeSpan.FromMilliseconds(value),
                "s" or "" => TimeSpan.FromSeconds(value),
                "m" or "min" => TimeSpan.FromMinutes(value),
                "h" => TimeSpan.FromHours(value),
                "d" => TimeSpan.FromDays(value),
                _ => throw Invalid(text, optionName),
            };
        }

        return Positive(total, text, optionName);
    }

    private static TimeSpan Positive(TimeSpan value, string text, string optionName)
        => value > TimeSpan.Zero ? value : throw Invalid(text, optionName);

    private static UsageException Invalid(string text, string optionName)
        => new($"{optionName}: '{text}' is not a duration (examples: 30s, 5m, 1h30m, 00:02:00)");
}
