using System.Text;
using System.Text.Json;

namespace Datastream.Core.Rides;

/// <summary>
/// Turns the byte offset of a token into its JSON path ("$.data[2].confort"). Parsers record only offsets on
/// the hot path; the path strings are built here, on the rare rejection path, by reading the document again.
/// </summary>
internal static class JsonPathLocator
{
    /// <summary>The path of the property or value whose token starts at <paramref name="tokenOffset"/>; "$" if none does.</summary>
    public static string PathOf(ReadOnlySpan<byte> json, long tokenOffset)
    {
        var frames = new List<(bool IsArray, string? Name, int Index)>();
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 256 });
        try
        {
            while (reader.Read())
            {
                JsonTokenType token = reader.TokenType;
                if (token == JsonTokenType.PropertyName)
                {
                    frames[^1] = (false, NameOf(ref reader), 0);
                    if (reader.TokenStartIndex == tokenOffset)
                    {
                        return Build(frames);
                    }

                    continue;
                }

                if (token is JsonTokenType.EndObject or JsonTokenType.EndArray)
                {
                    frames.RemoveAt(frames.Count - 1);
                    continue;
                }

                if (frames.Count > 0 && frames[^1].IsArray)
                {
                    frames[^1] = (true, null, frames[^1].Index + 1);
                }

                if (reader.TokenStartIndex == tokenOffset)
                {
                    return Build(frames);
                }

                if (token == JsonTokenType.StartObject)
                {
                    frames.Add((false, null, 0));
                }
                else if (token == JsonTokenType.StartArray)
                {
                    frames.Add((true, null, -1));
                }
            }
        }
        catch (JsonException)
        {
            // The caller only asks about documents it has read up to that offset; stop where they stop.
        }

        return "$";
    }

    // A path names a field for a person; a 60 KB key would make the dead letter's reason as big as its payload.
    private const int MaxNameChars = 64;

    private static string NameOf(ref Utf8JsonReader reader)
    {
        // A name that cannot be unescaped (a lone surrogate) is shown as written.
        string name = JsonEscapes.IsUnreadable(in reader)
            ? Encoding.UTF8.GetString(reader.ValueSpan)
            : reader.GetString()!;
        if (name.Length <= MaxNameChars)
        {
            return name;
        }

        int cut = char.IsHighSurrogate(name[MaxNameChars - 1]) ? MaxNameChars - 1 : MaxNameChars;
        return string.Concat(name.AsSpan(0, cut), "…");
    }

    private static string Build(List<(bool IsArray, string? Name, int Index)> frames)
    {
        var path = new StringBuilder("$");
        foreach ((bool isArray, string? name, int index) in frames)
        {
            if (isArray)
            {
                path.Append('[').Append(index).Append(']');
            }
            else
            {
                path.Append('.').Append(name);
            }
        }

        return path.ToString();
    }
}
