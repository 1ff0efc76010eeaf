using DuckDB.NET.Data;

namespace Datastream.Lake.Tests;

/// <summary>The lake as the warehouse reads it: DuckDB over the hive layout, with real timestamp and double types.</summary>
public sealed class DuckDbLakeTests : IDisposable
{
    private readonly TemporaryDirectory _root = new();

    public void Dispose() => _root.Dispose();

    [Fact]
    public async Task DuckDB_reads_every_ride_once_with_timestamps_doubles_and_integer_partitions()
    {
        var rides = RideSamples.Generate(3000, hours: 5);
        await using (var lake = new ParquetRideLake(new LocalDirectoryLakeStore(_root.Path), new LakeOptions { Compression = LakeCompression.Zstd }))
        {
            for (var i = 0; i < rides.Length; i++)
            {
                lake.Add(i % 3, i, rides[i]);
                if (i == 1700)
                {
                    await lake.FlushAsync(TestContext.Current.CancellationToken);
                }
            }

            await lake.FlushAsync(TestContext.Current.CancellationToken);
        }

        using var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        var glob = Path.Combine(_root.Path, "rides/processed/**/*.parquet").Replace("'", "''", StringComparison.Ordinal);
        command.CommandText = $"""
            SELECT count(*), count(DISTINCT ride_id), any_value(typeof(ts)), any_value(typeof(agent_timestamp)),
                   any_value(typeof(price_total)), any_value(typeof(hour)), min(hour), max(year),
                   min(ts), count(*) FILTER (WHERE hour(ts AT TIME ZONE 'UTC') <> hour),
                   round(sum(price_total), 2), count(DISTINCT comfort)
            FROM read_parquet('{glob}', hive_partitioning = true,
                              hive_types = {'{'}'year': INT, 'month': INT, 'day': INT, 'hour': INT{'}'})
            """;
        using var reader = command.ExecuteReader();
        Assert.True(reader.Read());

        Assert.Equal(3000L, reader.GetInt64(0));
        Assert.Equal(3000L, reader.GetInt64(1));
        Assert.Equal("TIMESTAMP WITH TIME ZONE", reader.GetString(2));
        Assert.Equal("TIMESTAMP WITH TIME ZONE", reader.GetString(3));
        Assert.Equal("DOUBLE", reader.GetString(4));
        Assert.Equal("INTEGER", reader.GetString(5));
        Assert.Equal(0, reader.GetInt32(6));
        Assert.Equal(2025, reader.GetInt32(7));
        Assert.Equal(rides.Min(r => r.TsUtc), reader.GetDateTime(8).ToUniversalTime());
        Assert.Equal(0L, reader.GetInt64(9));
        Assert.Equal(Math.Round(rides.Sum(r => r.PriceTotal), 2), reader.GetDouble(10), 6);
        Assert.Equal(3L, reader.GetInt64(11));
    }
}
