using Datastream.Core.Rides;
using Datastream.Embedded.Index;
using Datastream.Pipelines.Search;
using Microsoft.Data.Sqlite;
using static Datastream.Index.Testing.RideSamples;

namespace Datastream.Embedded.Tests.Index;

/// <summary>
/// Finding a ride_id's row without a key on it (ride_keys generations, the rows not keyed yet, the writer's filter),
/// with generations of 8 rides and a filter of 16 keys, so a few hundred rides span dozens of generations and several
/// filters. Rowids run from 1, so generation 0 holds rows 1–7 and generation g rows 8g to 8g + 7.
/// </summary>
public sealed class RideKeyTests
{
    private static SqliteRideIndex Open(TemporaryDirectory dir) =>
        new(new EmbeddedIndexOptions(dir.Path) { GenerationBits = 3, FilterCapacity = 16 });

    [Fact]
    public async Task A_ride_written_again_generations_later_replaces_its_row()
    {
        using var dir = new TemporaryDirectory();
        await using var index = Open(dir);
        var first = Rides(0, 300);
        foreach (var chunk in first.Chunk(37))
        {
            await index.UpsertAsync(chunk, Ct);
        }

        // Rides of the oldest, a middle and the newest generation, moved to another minute and comfort.
        List<FlatRide> again = [.. new[] { 0, 5, 150, 299 }.Select(i => first[i] with { Comfort = Comfort.High, TsUtc = Start.AddDays(1), PriceTotal = 99 })];
        await index.UpsertAsync(again, Ct);

        await AssertRollupsMatchAsync(index, LastWriteWins(first, again).Values);
        Assert.Equal(300, RowCount(dir));
        foreach (var ride in again)
        {
            var page = await index.SearchAsync(new RideQuery { RideId = ride.RideId }, Ct);
            Assert.Equal(ride, Assert.Single(page.Rides));
        }
    }

    [Fact]
    public async Task Every_ride_is_found_by_id_in_whichever_generation_holds_it()
    {
        using var dir = new TemporaryDirectory();
        await using var index = Open(dir);
        var rides = Rides(0, 100);
        await index.UpsertAsync(rides, Ct);

        foreach (var ride in rides)
        {
            var page = await index.SearchAsync(new RideQuery { RideId = ride.RideId }, Ct);
            Assert.Equal(ride, Assert.Single(page.Rides));
        }

        Assert.Equal(0, (await index.SearchAsync(new RideQuery { RideId = Guid.NewGuid() }, Ct)).Total);
    }

    [Fact]
    public async Task A_ride_another_writer_appended_after_this_one_started_is_replaced_not_doubled()
    {
        using var dir = new TemporaryDirectory();
        await using var mine = Open(dir);
        await using var theirs = Open(dir);
        var early = Rides(0, 20);
        await mine.UpsertAsync(early, Ct); // builds this writer's filter
        var theirRides = Rides(20, 50);
        await theirs.UpsertAsync(theirRides, Ct);

        var changed = theirRides.Take(10).Select(r => r with { Comfort = Comfort.Low, PriceTotal = 1 }).ToList();
        await mine.UpsertAsync(changed, Ct);

        Assert.Equal(70, RowCount(dir));
        await AssertRollupsMatchAsync(mine, LastWriteWins(early, theirRides, changed).Values);
    }

    [Fact]
    public async Task A_reopened_index_rebuilds_its_filter_and_still_replaces_old_rides()
    {
        using var dir = new TemporaryDirectory();
        var rides = Rides(0, 200);
        await using (var index = Open(dir))
        {
            await index.UpsertAsync(rides, Ct);
        }

        var changed = rides.Where((_, i) => i % 7 == 0).Select(r => r with { PriceTotal = r.PriceTotal + 1 }).ToList();
        await using (var reopened = Open(dir))
        {
            await reopened.UpsertAsync([.. changed, .. Rides(200, 10)], Ct);
            await AssertRollupsMatchAsync(reopened, LastWriteWins(rides, changed, Rides(200, 10)).Values);
        }

        Assert.Equal(210, RowCount(dir));
    }

    [Fact]
    public async Task An_index_of_schema_version_2_is_migrated_with_its_rides_and_rollups()
    {
        using var dir = new TemporaryDirectory();
        var rides = Rides(0, 50);
        WriteVersion2Index(Path.Combine(dir.Path, "index.db"), rides);

        await using var index = Open(dir);
        await AssertRollupsMatchAsync(index, rides);
        var page = await index.SearchAsync(new RideQuery { RideId = rides[17].RideId }, Ct);
        Assert.Equal(rides[17], Assert.Single(page.Rides));

        var changed = rides[3] with { Comfort = Comfort.Medium, PriceTotal = 7 };
        await index.UpsertAsync([changed, .. Rides(50, 5)], Ct);
        await AssertRollupsMatchAsync(index, LastWriteWins(rides, [changed], Rides(50, 5)).Values);
        Assert.Equal(55, RowCount(dir));
    }

    [Fact]
    public async Task Only_full_generations_are_keyed_and_each_key_names_its_row()
    {
        using var dir = new TemporaryDirectory();
        await using var index = Open(dir);
        foreach (var chunk in Rides(0, 37).Chunk(5))
        {
            await index.UpsertAsync(chunk, Ct);
        }

        // Rows 1–37: generations 0–3 (rows 1–31) are full, rows 32–37 wait for generation 4 to fill.
        Assert.Equal(31, Scalar(dir, "SELECT ride_row FROM ride_keys_through"));
        Assert.Equal(31, Scalar(dir, "SELECT count(*) FROM ride_keys"));
        Assert.Equal(31, Scalar(dir, "SELECT count(*) FROM ride_keys AS k JOIN rides AS r ON r.rowid = k.ride_row AND r.ride_id = k.ride_id AND k.generation = r.rowid >> 3"));

        await index.UpsertAsync(Rides(37, 3), Ct);
        Assert.Equal(39, Scalar(dir, "SELECT ride_row FROM ride_keys_through"));
        Assert.Equal(39, Scalar(dir, "SELECT count(*) FROM ride_keys"));
    }

    [Fact]
    public async Task A_reopened_index_replaces_rides_that_are_not_keyed_yet()
    {
        using var dir = new TemporaryDirectory();
        var rides = Rides(0, 45); // rows 40–45 not keyed
        await using (var index = Open(dir))
        {
            await index.UpsertAsync(rides, Ct);
        }

        List<FlatRide> changed = [.. rides.Skip(38).Select(r => r with { Comfort = Comfort.Low, PriceTotal = 3 })];
        await using (var reopened = Open(dir))
        {
            await reopened.UpsertAsync(changed, Ct);
            await AssertRollupsMatchAsync(reopened, LastWriteWins(rides, changed).Values);
            foreach (var ride in changed)
            {
                Assert.Equal(ride, Assert.Single((await reopened.SearchAsync(new RideQuery { RideId = ride.RideId }, Ct)).Rides));
            }
        }

        Assert.Equal(45, RowCount(dir));
    }

    [Fact]
    public async Task Rides_this_writer_held_unkeyed_are_found_after_another_writer_keyed_them()
    {
        using var dir = new TemporaryDirectory();
        await using var mine = Open(dir);
        await using var theirs = Open(dir);
        var early = Rides(0, 20); // rows 1–20: 16–20 not keyed, in this writer's memory
        await mine.UpsertAsync(early, Ct);
        var theirRides = Rides(20, 50); // rows 21–70: keys generations up to row 63
        await theirs.UpsertAsync(theirRides, Ct);

        List<FlatRide> changed = [.. early.Skip(14).Concat(theirRides.Skip(40)).Select(r => r with { Comfort = Comfort.High, PriceTotal = 5 })];
        await mine.UpsertAsync(changed, Ct);

        Assert.Equal(70, RowCount(dir));
        await AssertRollupsMatchAsync(mine, LastWriteWins(early, theirRides, changed).Values);
    }

    [Fact]
    public async Task An_index_of_schema_version_3_keeps_its_keys_and_keys_the_rest_as_generations_fill()
    {
        using var dir = new TemporaryDirectory();
        var rides = Rides(0, 30);
        await using (var index = Open(dir))
        {
            await index.UpsertAsync(rides, Ct);
        }

        // Version 3 keyed every ride as it was written and had no ride_keys_through.
        Execute(dir, """
            INSERT INTO ride_keys(generation, ride_id, ride_row) SELECT rowid >> 3, ride_id, rowid FROM rides WHERE rowid > 23;
            DROP TABLE ride_keys_through;
            PRAGMA user_version = 3;
            """);

        await using var migrated = Open(dir);
        var changed = rides[27] with { PriceTotal = 11 };
        await migrated.UpsertAsync([changed, .. Rides(30, 12)], Ct);

        Assert.Equal(42, RowCount(dir));
        Assert.Equal(39, Scalar(dir, "SELECT ride_row FROM ride_keys_through"));
        Assert.Equal(39, Scalar(dir, "SELECT count(*) FROM ride_keys"));
        await AssertRollupsMatchAsync(migrated, LastWriteWins(rides, [changed], Rides(30, 12)).Values);
        Assert.Equal(changed, Assert.Single((await migrated.SearchAsync(new RideQuery { RideId = changed.RideId }, Ct)).Rides));
    }

    [Fact]
    public async Task A_write_that_failed_half_way_leaves_no_row_behind_for_later_lookups()
    {
        using var dir = new TemporaryDirectory();
        await using var index = Open(dir);
        var first = Rides(0, 20); // rows 1–20
        await index.UpsertAsync(first, Ct);

        // The failing write appends rows 21–29 (remembered by the writer), then aborts on its last ride and rolls back.
        Execute(dir, "CREATE TRIGGER refuse BEFORE INSERT ON rides WHEN NEW.price_total = 12345 BEGIN SELECT RAISE(ABORT, 'refused'); END;");
        var failed = Rides(20, 10);
        await Assert.ThrowsAnyAsync<Exception>(async () => await index.UpsertAsync([.. failed.SkipLast(1), failed[^1] with { PriceTotal = 12345 }], Ct));
        Execute(dir, "DROP TRIGGER refuse;");

        // Other rides take rows 21–29 now; the failed rides then come again: they must be new, not overwrite those.
        var others = Rides(40, 9);
        await index.UpsertAsync(others, Ct);
        await index.UpsertAsync(failed, Ct);

        Assert.Equal(39, RowCount(dir));
        await AssertRollupsMatchAsync(index, LastWriteWins(first, others, failed).Values);
        foreach (var ride in others.Concat(failed))
        {
            Assert.Equal(ride, Assert.Single((await index.SearchAsync(new RideQuery { RideId = ride.RideId }, Ct)).Rides));
        }
    }

    private static long RowCount(TemporaryDirectory dir) => Scalar(dir, "SELECT count(*) FROM rides");

    private static long Scalar(TemporaryDirectory dir, string sql)
    {
        using var connection = Connect(Path.Combine(dir.Path, "index.db"));
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)command.ExecuteScalar()!;
    }

    private static void Execute(TemporaryDirectory dir, string sql)
    {
        using var connection = Connect(Path.Combine(dir.Path, "index.db"));
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static SqliteConnection Connect(string path)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }

    /// <summary>The layout version 2 wrote: ride_id the primary key of rides, no ride_keys.</summary>
    private static void WriteVersion2Index(string path, List<FlatRide> rides)
    {
        using var connection = Connect(path);
        using var create = connection.CreateCommand();
        create.CommandText = $"""
            PRAGMA journal_mode = WAL;
            CREATE TABLE rides({RideColumns.Definitions.Replace("ride_id BLOB NOT NULL", "ride_id BLOB NOT NULL PRIMARY KEY", StringComparison.Ordinal)});
            CREATE INDEX rides_ts ON rides(ts);
            CREATE TABLE minute_stats(minute INTEGER NOT NULL, comfort INTEGER NOT NULL, count INTEGER NOT NULL,
                sum_distance REAL NOT NULL, sum_price REAL NOT NULL, PRIMARY KEY(minute, comfort)) WITHOUT ROWID;
            PRAGMA user_version = 2;
            """;
        create.ExecuteNonQuery();
        foreach (var ride in rides)
        {
            using var insert = connection.CreateCommand();
            insert.CommandText = $"INSERT INTO rides({RideColumns.List}) VALUES ({string.Join(", ", RideColumns.Names.Select((_, i) => $"$p{i}"))})";
            var fields = RideSchema.Flat;
            for (var i = 0; i < fields.Count; i++)
            {
                object value = fields[i].Type switch
                {
                    RideValueType.Uuid => ride.RideId.ToByteArray(),
                    RideValueType.Instant => UnixMilliseconds.From(fields[i].InstantOf(ride)),
                    RideValueType.Comfort => (long)ride.Comfort,
                    _ => fields[i].NumberOf(ride),
                };
                insert.Parameters.AddWithValue($"$p{i}", value);
            }

            insert.ExecuteNonQuery();
        }

        foreach (var stats in GroupByMinute(rides))
        {
            using var insert = connection.CreateCommand();
            insert.CommandText = "INSERT INTO minute_stats VALUES ($m, $c, $n, $d, $p)";
            insert.Parameters.AddWithValue("$m", UnixMilliseconds.From(stats.MinuteUtc));
            insert.Parameters.AddWithValue("$c", (long)stats.Comfort);
            insert.Parameters.AddWithValue("$n", stats.Count);
            insert.Parameters.AddWithValue("$d", stats.SumDistanceKm);
            insert.Parameters.AddWithValue("$p", stats.SumPriceTotal);
            insert.ExecuteNonQuery();
        }
    }
}
