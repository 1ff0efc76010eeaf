using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Datastream.Embedded.Index;
using Microsoft.Data.Sqlite;

namespace Datastream.Benchmarks;

/// <summary>
/// Embedded index files already holding N rides, built once and kept under the system temp directory
/// (<c>datastream-bench/index/rides-N-SCHEMA.db</c>) for every later run: filling 5M rides takes minutes, copying the
/// file seconds. The key holds the schema's hash (the DDL, user_version and page size of a fresh index), so a schema
/// change builds new files instead of measuring an old layout. Delete the directory to reclaim the disk.
/// </summary>
public static class PrefilledIndexCache
{
    /// <summary>Seed of the prefilled rides; the rides a benchmark upserts come from the same stream, after them.</summary>
    public const int Seed = 20251030;

    private const int BuildBatch = 100_000;

    public static string Directory { get; } = Path.Combine(Path.GetTempPath(), "datastream-bench", "index");

    /// <summary>The path of an index file holding rides [0, rows) of <see cref="FlatRideBatch"/>'s stream <see cref="Seed"/>; built when missing.</summary>
    public static string FileWith(long rows)
    {
        System.IO.Directory.CreateDirectory(Directory);
        var path = Path.Combine(Directory, string.Create(CultureInfo.InvariantCulture, $"rides-{rows}-{SchemaHash()}.db"));
        if (!File.Exists(path))
        {
            Build(rows, path);
        }

        return path;
    }

    private static void Build(long rows, string path)
    {
        // Built in a directory of its own and moved in whole once checked, so a build cut short is never reused.
        var work = Path.Combine(Directory, $"building-{Environment.ProcessId}-{Guid.NewGuid():N}");
        System.IO.Directory.CreateDirectory(work);
        try
        {
            Console.WriteLine($"// building a {rows:N0}-ride index in {work} (once; reused from {Directory})");
            // The product's own upsert, with a large page cache so the build goes fast; the cache is not in the file.
            var options = new EmbeddedIndexOptions(work) { WriterCacheMebibytes = 1024 };
            var index = new SqliteRideIndex(options);
            try
            {
                for (long first = 0; first < rows; first += BuildBatch)
                {
                    var batch = FlatRideBatch.Generate(first, (int)Math.Min(BuildBatch, rows - first), Seed);
                    var rejected = index.UpsertAsync(batch).AsTask().GetAwaiter().GetResult();
                    if (rejected.Count > 0)
                    {
                        throw new InvalidOperationException($"the index refused {rejected.Count} generated rides: {rejected[0].Reason}");
                    }
                }

                var count = index.CountAsync().AsTask().GetAwaiter().GetResult();
                if (count != rows)
                {
                    throw new InvalidOperationException($"built an index of {count} rides, expected {rows} (ride id collision?)");
                }
            }
            finally
            {
                index.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }

            // The last connection's close checkpoints the WAL into the file; a copy of the file alone must be whole.
            SqliteConnection.ClearAllPools();
            if (File.Exists(options.DatabasePath + "-wal") && new FileInfo(options.DatabasePath + "-wal").Length > 0)
            {
                throw new InvalidOperationException($"{options.DatabasePath}-wal is not empty after close: the file alone would not hold every ride");
            }

            File.Move(options.DatabasePath, path);
        }
        finally
        {
            System.IO.Directory.Delete(work, recursive: true);
        }
    }

    private static string SchemaHash()
    {
        var work = Path.Combine(Path.GetTempPath(), $"datastream-bench-schema-{Environment.ProcessId}-{Guid.NewGuid():N}");
        System.IO.Directory.CreateDirectory(work);
        try
        {
            var options = new EmbeddedIndexOptions(work);
            new SqliteRideIndex(options).DisposeAsync().AsTask().GetAwaiter().GetResult();
            var schema = new StringBuilder();
            using (var connection = new SqliteConnection($"Data Source={options.DatabasePath};Mode=ReadOnly;Pooling=False"))
            {
                connection.Open();
                using var command = connection.CreateCommand();
                command.CommandText = "SELECT type, name, coalesce(sql, '') FROM sqlite_schema ORDER BY type, name";
                using (var reader = command.ExecuteReader())
                {
                    while (reader.Read())
                    {
                        schema.Append(reader.GetString(0)).Append('|').Append(reader.GetString(1)).Append('|').Append(reader.GetString(2)).Append('\n');
                    }
                }

                command.CommandText = "SELECT 'user_version=' || (SELECT user_version FROM pragma_user_version) || ' page_size=' || (SELECT page_size FROM pragma_page_size)";
                schema.Append((string)command.ExecuteScalar()!);
            }

            return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(schema.ToString())))[..12];
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            System.IO.Directory.Delete(work, recursive: true);
        }
    }
}
