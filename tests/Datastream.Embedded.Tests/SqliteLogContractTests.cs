using Datastream.Log.Testing;
using Datastream.Pipelines.Log;

namespace Datastream.Embedded.Tests;

/// <summary>The contract of the log port, on a SQLite log in a directory of each test's own, with the default codec.</summary>
public class SqliteLogContractTests : LogContract, IDisposable
{
    private readonly TemporaryDirectory _dir = new();

    protected override string ExpectedEngine => "embedded";

    /// <summary>The codec of the log's batches; the other codecs run the contract too (CodecLogContractTests).</summary>
    protected virtual LogCompression Compression => EmbeddedLogOptions.DefaultCompression;

    protected override Task<ILog> OpenAsync() =>
        Task.FromResult<ILog>(new SqliteLog(new EmbeddedLogOptions(_dir.Path) { Compression = Compression }));

    protected override string? WhyNot(LogPromise promise) => promise switch
    {
        // Every embedded commit is one SQLite write transaction, so a unit of work needs no set-up; Kafka needs a
        // transactional producer and refuses. Code that forgets the flag works embedded and fails on Kafka.
        LogPromise.UnitOfWorkRequiresTransactional =>
            "SqliteLogConsumer.BeginUnitOfWork does not check ConsumerSpec.Transactional (KafkaLogConsumer throws InvalidOperationException)",
        _ => null,
    };

    public void Dispose()
    {
        _dir.Dispose();
        GC.SuppressFinalize(this);
    }
}
