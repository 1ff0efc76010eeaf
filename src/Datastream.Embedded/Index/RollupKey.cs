using Datastream.Core.Rides;

namespace Datastream.Embedded.Index;

/// <summary>A row of minute_stats: the minute (start, Unix ms) of the ride ts and its comfort.</summary>
internal readonly record struct RollupKey(long MinuteMs, Comfort Comfort);
