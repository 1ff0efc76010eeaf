namespace Datastream.Warehouse;

/// <summary>
/// What DuckDB may take from the machine for a query: worker threads and memory. By default it takes every core and
/// 80 % of the RAM, right for `analytics revenue` on its own; a refresh beside the pipelines takes <see cref="Background"/>.
/// </summary>
/// <param name="Threads">Worker threads; null for one per core.</param>
/// <param name="MemoryLimitMb">Memory before DuckDB spills to its temporary directory; null for DuckDB's default.</param>
/// <param name="AllocatorFlushMb">
/// A query that allocated more than this at its peak hands its freed memory back to the system when it completes
/// (DuckDB's allocator_flush_threshold), and the allocator's background threads return the rest as it ages
/// (allocator_background_threads); null for DuckDB's defaults: 128 MB, no background threads.
/// </param>
public sealed record DuckDbLimits(int? Threads, int? MemoryLimitMb, int? AllocatorFlushMb = null)
{
    /// <summary>DuckDB's defaults.</summary>
    public static readonly DuckDbLimits Unbounded = new(null, null);

    /// <summary>
    /// One thread and 12 MB, for queries that share the machine with the pipelines (`run`'s revenue refresh): the
    /// pipelines keep the other core, and the query's hash tables spill to disk rather than grow the process (with
    /// 96 MB each refresh of a 4M-ride run raised resident memory by up to ~100 MB for a second, mostly blocks of the
    /// revenue cache it had scanned; a refresh needs less once the cache looks at new rows a slice at a time; with 24 MB
    /// a refresh still added 30-45 MB, with 12 MB ~12 MB less at the run's peak, and 10 MB was too little). Freed
    /// memory goes back to the system: with DuckDB's defaults its allocator (jemalloc) kept ~60-100 MB of freed pages
    /// in a 4M-ride run, as a refresh every 10 s never let it age out (peak RSS 431-491 MB, 390-404 with a flush
    /// threshold of 8 MB and background threads, 373-383 with jemalloc's decay at 0). A query that needs more than the
    /// limit (DuckDB cannot spill every operator) gets it raised rather than failing: see <see cref="DuckDbWarehouse"/>.
    /// </summary>
    public static readonly DuckDbLimits Background = new(1, 12, 8);
}
