namespace Datastream.Warehouse;

/// <summary>
/// What DuckDB may take from the machine for a query: worker threads and memory. By default it takes every core and
/// 80 % of the RAM, right for `analytics revenue` on its own; a refresh beside the pipelines takes <see cref="Background"/>.
/// </summary>
/// <param name="Threads">Worker threads; null for one per core.</param>
/// <param name="MemoryLimitMb">Memory before DuckDB spills to its temporary directory; null for DuckDB's default.</param>
public sealed record DuckDbLimits(int? Threads, int? MemoryLimitMb)
{
    /// <summary>DuckDB's defaults.</summary>
    public static readonly DuckDbLimits Unbounded = new(null, null);

    /// <summary>
    /// One thread and 96 MB, for queries that share the machine with the pipelines (`run`'s revenue refresh): the
    /// pipelines keep the other core, and the query's hash tables spill to disk rather than grow the process.
    /// </summary>
    public static readonly DuckDbLimits Background = new(1, 96);
}
