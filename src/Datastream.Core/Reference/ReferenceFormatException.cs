namespace Datastream.Core.Reference;

/// <summary>A reference CSV line that cannot be read, with where it is.</summary>
public sealed class ReferenceFormatException(string sourceName, int lineNumber, string reason)
    : FormatException($"{sourceName}:{lineNumber}: {reason}")
{
    public int LineNumber { get; } = lineNumber;
}
