using System.Diagnostics;
using Confluent.Kafka;

namespace Datastream.Benchmarks.Kafka;

/// <summary>
/// The client library's own transactional ceiling: a plain Confluent.Kafka consume → produce loop that copies each
/// value unchanged, read_committed, and commits its consumed offsets with its outputs every <c>commitEvery</c>
/// records (SendOffsetsToTransaction, CommitTransaction). No parsing, no dead letters, no checks: what any pipeline
/// on this client must pay at least.
/// </summary>
internal sealed class BareTransactionalLoop(string bootstrapServers, int commitEvery)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    public PassRate Run(string input, string output, string group, long records)
    {
        var consumerConfig = new ConsumerConfig
        {
            BootstrapServers = bootstrapServers,
            GroupId = group,
            EnableAutoCommit = false,
            IsolationLevel = IsolationLevel.ReadCommitted,
            AutoOffsetReset = AutoOffsetReset.Earliest,
            SessionTimeoutMs = 3000,
            HeartbeatIntervalMs = 500,
        };
        var producerConfig = new ProducerConfig
        {
            BootstrapServers = bootstrapServers,
            TransactionalId = $"{group}-bare",
            // What the pipeline's producer writes too: lz4 keeps the mock's 5 MiB per partition from dropping data.
            CompressionType = CompressionType.Lz4,
        };
        using var consumer = new ConsumerBuilder<byte[], byte[]>(consumerConfig).Build();
        using var producer = new ProducerBuilder<byte[], byte[]>(producerConfig).Build();
        producer.InitTransactions(Timeout);
        consumer.Subscribe(input);

        long consumed = 0;
        long inTransaction = 0;
        int transactions = 0;
        long firstCommitted = 0;
        long firstCommitAt = 0;
        var nextOffsets = new Dictionary<TopicPartition, Offset>();
        var silence = Stopwatch.StartNew();
        producer.BeginTransaction();
        while (consumed < records)
        {
            var result = consumer.Consume(TimeSpan.FromMilliseconds(100));
            if (result is null)
            {
                if (silence.Elapsed > Timeout)
                {
                    throw new TimeoutException($"bare loop: nothing consumed for {Timeout.TotalSeconds} s after {consumed} of {records} records");
                }

                continue;
            }

            silence.Restart();
            producer.Produce(output, new Message<byte[], byte[]> { Key = result.Message.Key, Value = result.Message.Value });
            nextOffsets[result.TopicPartition] = result.Offset + 1;
            consumed++;
            inTransaction++;
            if (inTransaction == commitEvery || consumed == records)
            {
                producer.SendOffsetsToTransaction(
                    nextOffsets.Select(o => new TopicPartitionOffset(o.Key, o.Value)), consumer.ConsumerGroupMetadata, Timeout);
                producer.CommitTransaction(Timeout);
                transactions++;
                inTransaction = 0;
                if (firstCommitAt == 0)
                {
                    firstCommitAt = Stopwatch.GetTimestamp();
                    firstCommitted = consumed;
                }

                if (consumed < records)
                {
                    producer.BeginTransaction();
                }
            }
        }

        var elapsed = Stopwatch.GetElapsedTime(firstCommitAt);
        consumer.Close();
        return new PassRate(consumed - firstCommitted, elapsed, transactions - 1);
    }
}
