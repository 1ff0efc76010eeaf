namespace Datastream.Core.Rides;

/// <summary>
/// Where a value's input text sits in the record when that text is already exactly what the result writer would
/// write for the parsed value: the writer then copies these bytes instead of formatting the value again, which
/// is most of its cost. The default (length 0) means "not canonical, format the value".
/// </summary>
internal readonly record struct CanonicalText(int Start, int Length)
{
    public bool IsPresent => Length > 0;
}
