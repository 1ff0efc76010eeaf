namespace Datastream.Embedded;

/// <summary>SQLite's PRAGMA synchronous levels that make sense for the log in WAL mode.</summary>
public enum SqliteSynchronousMode
{
    /// <summary>Durable against process crashes; may lose the last transactions on power loss.</summary>
    Normal,

    /// <summary>Durable against power loss too; fsync on every commit.</summary>
    Full,
}
