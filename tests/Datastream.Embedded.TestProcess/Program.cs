using System.Text;
using Datastream.Embedded;
using Datastream.Pipelines.Log;

// produce <dataDir> <topic> <count> <batch>: appends values "0".."count-1" (key = value) in batches.
// consume <dataDir> <topic> <group> <count>: reads until count records were consumed, committing each batch
// atomically, then prints the number of records it consumed. Exits 3 if no progress for 30 s.
if (args.Length < 5)
{
    Console.Error.WriteLine("usage: produce <dataDir> <topic> <count> <batch> | consume <dataDir> <topic> <group> <count>");
    return 2;
}

await using var log = new SqliteLog(new EmbeddedLogOptions(args[1]) { LeaseDuration = TimeSpan.FromSeconds(5), LeaseRenewInterval = TimeSpan.FromMilliseconds(100) });
var topic = args[2];

if (args[0] == "produce")
{
    var count = int.Parse(args[3]);
    var batchSize = int.Parse(args[4]);
    await using var producer = log.CreateProducer();
    var batch = new List<OutgoingRecord>(batchSize);
    for (var i = 0; i < count; i++)
    {
        var bytes = Encoding.UTF8.GetBytes(i.ToString());
        batch.Add(new OutgoingRecord(topic, bytes, bytes));
        if (batch.Count == batchSize || i == count - 1)
        {
            await producer.ProduceAsync(batch);
            batch.Clear();
        }
    }

    Console.WriteLine(count);
    return 0;
}

if (args[0] == "consume")
{
    var target = int.Parse(args[4]);
    await using var consumer = log.CreateConsumer(new ConsumerSpec(args[3], [topic]) { Transactional = true });
    var consumed = 0;
    var idle = 0;
    while (consumed < target)
    {
        var records = await consumer.PollAsync(500, TimeSpan.FromMilliseconds(100));
        if (records.Count == 0)
        {
            if (++idle > 300)
            {
                return 3;
            }

            continue;
        }

        idle = 0;
        await using var unit = consumer.BeginUnitOfWork();
        unit.CommitOffsets(records
            .GroupBy(r => r.TopicPartition)
            .Select(g => new TopicPartitionOffset(g.Key.Topic, g.Key.Partition, g.Max(r => r.Offset) + 1))
            .ToList());
        await unit.CommitAsync();
        consumed += records.Count;
    }

    Console.WriteLine(consumed);
    return 0;
}

Console.Error.WriteLine($"unknown command '{args[0]}'");
return 2;
