using Datastream.Pipelines;
using Datastream.Pipelines.Log;
using static Datastream.Log.Testing.LogSteps;

namespace Datastream.Log.Testing;

/// <summary>
/// The contract of the log port (<see cref="ILog"/> and its producers, consumers and units of work): what every engine
/// does the same way. Each engine's test project derives a class that opens its log; xunit runs these tests once per
/// derived class. Topic and group names are unique per test, so engines that share one cluster between tests (the
/// Kafka mock) never see another test's records.
/// </summary>
public abstract class LogContract
{
    private readonly string _run = Guid.NewGuid().ToString("N")[..10];

    /// <summary>A log on the engine's storage for this test. The caller disposes it; the derived class cleans up after the test.</summary>
    protected abstract Task<ILog> OpenAsync();

    /// <summary>What <see cref="ILog.Engine"/> says.</summary>
    protected abstract string ExpectedEngine { get; }

    /// <summary>
    /// Makes a topic a test needs. The port's own <see cref="ILog.CreateTopicAsync"/> unless the engine's test double
    /// cannot (then <see cref="WhyNot"/> says so for <see cref="LogPromise.CreatesTopics"/>).
    /// </summary>
    protected virtual Task CreateTopicAsync(ILog log, TopicSpec spec) => log.CreateTopicAsync(spec, Ct).AsTask();

    /// <summary>
    /// Null when the engine keeps <paramref name="promise"/>; otherwise why it does not (the engine itself, or its test
    /// double here). The tests of that promise then run what they can and are reported as skipped with this reason.
    /// </summary>
    protected virtual string? WhyNot(LogPromise promise) => null;

    // ---- topics -------------------------------------------------------------------------------------------------

    [Fact]
    public async Task The_log_names_its_engine()
    {
        await using var log = await OpenAsync();
        Assert.Equal(ExpectedEngine, log.Engine);
    }

    [Fact]
    public async Task Creating_a_topic_makes_it_listed_with_its_partitions_empty()
    {
        SkipUnlessKept(LogPromise.CreatesTopics);
        await using var log = await OpenAsync();
        var topic = Name("created");

        await log.CreateTopicAsync(new TopicSpec(topic, 3), Ct);

        await AssertEmptyTopicAsync(log, topic, 3);
    }

    [Fact]
    public async Task A_topic_is_listed_and_described_with_its_partitions_empty()
    {
        await using var log = await OpenAsync();
        var topic = Name("described");

        await CreateTopicAsync(log, new TopicSpec(topic, 3));

        await AssertEmptyTopicAsync(log, topic, 3);
    }

    [Fact]
    public async Task Creating_an_existing_topic_leaves_it_and_its_records_as_they_are()
    {
        await using var log = await OpenAsync();
        var topic = Name("existing");
        await CreateTopicAsync(log, new TopicSpec(topic, 3));
        await ProduceAsync(log, Numbered(topic, 0, 12));

        await log.CreateTopicAsync(new TopicSpec(topic, 1) { RetentionAge = TimeSpan.FromMinutes(1) }, Ct);

        var description = await log.DescribeTopicAsync(topic, Ct);
        Assert.NotNull(description);
        Assert.Equal(3, description.Partitions.Count);
        Assert.Equal(12, description.RecordCount);
        Assert.Single(await log.ListTopicsAsync(Ct), t => t == topic);
    }

    [Fact]
    public async Task A_missing_topic_is_described_as_null_and_not_listed()
    {
        await using var log = await OpenAsync();
        var missing = Name("missing");

        Assert.Null(await log.DescribeTopicAsync(missing, Ct));
        Assert.DoesNotContain(missing, await log.ListTopicsAsync(Ct));
    }

    [Fact]
    public async Task Producing_to_a_missing_topic_throws_UnknownTopicException_naming_it()
    {
        await using var log = await OpenAsync();
        var missing = Name("missing");
        await using var producer = log.CreateProducer();

        var error = await Assert.ThrowsAsync<UnknownTopicException>(() => producer.ProduceAsync(Numbered(missing, 0, 1), Ct).AsTask());

        Assert.Equal(missing, error.Topic);
        Assert.DoesNotContain(missing, await log.ListTopicsAsync(Ct));
    }

    // ---- produce and poll ---------------------------------------------------------------------------------------

    [Fact]
    public async Task Records_are_read_once_each_in_produced_order_per_partition_at_offsets_from_zero_up()
    {
        await using var log = await OpenAsync();
        var topic = Name("ordered");
        await CreateTopicAsync(log, new TopicSpec(topic, 3));
        var before = DateTime.UtcNow;
        await ProduceAsync(log, Numbered(topic, 0, 120));
        await ProduceAsync(log, Numbered(topic, 120, 80));
        await using var consumer = log.CreateConsumer(new ConsumerSpec(Name("readers"), [topic]));

        // A small maxRecords makes the consumer continue across many polls.
        var read = await PollUntilAsync(consumer, 200, maxRecords: 7);
        read.AddRange(await PollRestAsync(consumer));

        Assert.Equal(Enumerable.Range(0, 200), read.Select(Number).Order());
        var description = (await log.DescribeTopicAsync(topic, Ct))!;
        foreach (var partition in read.GroupBy(r => r.Partition))
        {
            var records = partition.ToList();
            Assert.Equal(Enumerable.Range(0, records.Count).Select(o => (long)o), records.Select(r => r.Offset));
            Assert.Equal(records.Select(Number).Order(), records.Select(Number));
            Assert.Equal(records.Count, description.Partitions[partition.Key].EndOffset);
        }

        Assert.All(read, r => Assert.Equal(topic, r.Topic));
        Assert.All(read, r => Assert.InRange(r.TimestampUtc, before.AddMinutes(-1), DateTime.UtcNow.AddMinutes(1)));
    }

    [Fact]
    public async Task Records_with_the_same_key_land_on_the_same_partition_in_produced_order()
    {
        await using var log = await OpenAsync();
        var topic = Name("keyed");
        await CreateTopicAsync(log, new TopicSpec(topic, 4));
        // Ten riders, fifteen records each, interleaved over three produce calls.
        var records = Enumerable.Range(0, 150)
            .Select(i => new OutgoingRecord(topic, Bytes($"{i % 10}-rider"), Bytes($"ride-{i}")))
            .ToList();
        await ProduceAsync(log, records[..50]);
        await ProduceAsync(log, records[50..100]);
        await ProduceAsync(log, records[100..]);
        await using var consumer = log.CreateConsumer(new ConsumerSpec(Name("readers"), [topic]));

        var read = await PollUntilAsync(consumer, 150);

        foreach (var rider in read.GroupBy(r => Text(r.Key)))
        {
            Assert.Single(rider.Select(r => r.Partition).Distinct());
            Assert.Equal(Enumerable.Range(0, 150).Where(i => $"{i % 10}-rider" == rider.Key), rider.Select(Number));
        }

        Assert.Equal(10, read.Select(r => Text(r.Key)).Distinct().Count());
    }

    [Fact]
    public async Task Empty_keys_and_empty_values_round_trip_an_empty_key_as_no_key()
    {
        await using var log = await OpenAsync();
        var topic = Name("empty");
        await CreateTopicAsync(log, new TopicSpec(topic, 1));
        await ProduceAsync(log,
        [
            new OutgoingRecord(topic, ReadOnlyMemory<byte>.Empty, ReadOnlyMemory<byte>.Empty),
            new OutgoingRecord(topic, Bytes("key"), ReadOnlyMemory<byte>.Empty),
            new OutgoingRecord(topic, ReadOnlyMemory<byte>.Empty, Bytes("value")),
        ]);
        await using var consumer = log.CreateConsumer(new ConsumerSpec(Name("readers"), [topic]));

        var read = await PollUntilAsync(consumer, 3);

        Assert.Equal(new long[] { 0, 1, 2 }, read.Select(r => r.Offset));
        Assert.Null(read[0].Key);
        Assert.Empty(read[0].Value);
        Assert.Equal("key", Text(read[1].Key));
        Assert.Empty(read[1].Value);
        Assert.Null(read[2].Key);
        Assert.Equal("value", Text(read[2].Value));
    }

    [Fact]
    public async Task A_value_as_large_as_the_dead_letter_cap_round_trips_byte_for_byte()
    {
        await using var log = await OpenAsync();
        var topic = Name("large");
        await CreateTopicAsync(log, new TopicSpec(topic, 1));
        // Random bytes do not compress: the engine carries the full 1,000,000 bytes (DeadLetters:MaxBytes' default).
        var large = new byte[1_000_000];
        new Random(12).NextBytes(large);
        await ProduceAsync(log, [new OutgoingRecord(topic, Bytes("large"), large), new OutgoingRecord(topic, Bytes("small"), Bytes("after"))]);
        await using var consumer = log.CreateConsumer(new ConsumerSpec(Name("readers"), [topic]));

        var read = await PollUntilAsync(consumer, 2);

        Assert.Equal(2, read.Count);
        Assert.True(large.AsSpan().SequenceEqual(read[0].Value), "the large value came back changed");
        Assert.Equal("after", Text(read[1].Value));
    }

    [Fact]
    public async Task Producing_a_record_over_the_logs_cap_throws_RecordTooLarge_and_appends_nothing_of_the_call()
    {
        await using var log = await OpenAsync();
        var topic = Name("capped");
        await CreateTopicAsync(log, new TopicSpec(topic, 1));
        await using var producer = log.CreateProducer();
        var over = new byte[log.MaxRecordBytes - 2];

        // "big" (3 bytes) + MaxRecordBytes - 2 bytes: one byte over the cap, between two records that fit.
        var error = await Assert.ThrowsAsync<RecordTooLargeException>(() => producer.ProduceAsync(
            [new OutgoingRecord(topic, Bytes("0-key"), Bytes("v-0")), new OutgoingRecord(topic, Bytes("big"), over), new OutgoingRecord(topic, Bytes("2-key"), Bytes("v-2"))], Ct).AsTask());

        Assert.Equal((topic, log.MaxRecordBytes + 1L, (long)log.MaxRecordBytes), (error.Topic, error.Bytes, error.MaxBytes));
        Assert.Contains(topic, error.Message);
        Assert.InRange(log.MaxRecordBytes, 1_000_256, 1_048_588);
        await using var consumer = log.CreateConsumer(new ConsumerSpec(Name("readers"), [topic]));
        Assert.Empty(await PollRestAsync(consumer));
        // A record exactly at the cap goes through (compressible bytes: its size on the wire stays under Kafka's message size).
        var atCap = new byte[log.MaxRecordBytes - 3];
        atCap.AsSpan().Fill((byte)'x');
        await producer.ProduceAsync([new OutgoingRecord(topic, Bytes("big"), atCap)], Ct);
        var read = Assert.Single(await PollUntilAsync(consumer, 1));
        Assert.Equal(atCap.Length, read.Value.Length);
    }

    [Fact]
    public async Task A_poll_returns_at_most_MaxPollBytes_of_keys_and_values_and_a_larger_record_alone()
    {
        await using var log = await OpenAsync();
        var topic = Name("bounded");
        await CreateTopicAsync(log, new TopicSpec(topic, 2));
        // ~1,010 bytes each: a 3,500-byte budget holds three of them, never four; record 20 is larger than the budget.
        var padding = new string('x', 1000);
        var records = Enumerable.Range(0, 40)
            .Select(i => new OutgoingRecord(topic, Bytes($"{i}-key"), Bytes(i == 20 ? $"{padding}{padding}{padding}{padding}-{i}" : $"{padding}-{i}")))
            .ToList();
        await ProduceAsync(log, records);
        const int budget = 3500;
        await using var consumer = log.CreateConsumer(new ConsumerSpec(Name("readers"), [topic]) { MaxPollBytes = budget });

        var polls = new List<IReadOnlyList<LogRecord>>();
        var deadline = DateTime.UtcNow + Patience;
        while (polls.Sum(p => p.Count) < 40 && DateTime.UtcNow < deadline)
        {
            var batch = await consumer.PollAsync(500, TimeSpan.FromMilliseconds(100), Ct);
            if (batch.Count > 0)
            {
                polls.Add(batch);
            }
        }

        static long Size(LogRecord r) => (r.Key?.Length ?? 0) + r.Value.Length;
        Assert.Equal(Enumerable.Range(0, 40), polls.SelectMany(p => p).Select(Number).Order());
        Assert.All(polls, p => Assert.True(p.Count == 1 || p.Sum(Size) <= budget, $"a poll of {p.Count} records held {p.Sum(Size)} bytes, over the {budget}-byte budget"));
        Assert.Contains(polls, p => p.Count == 1 && Number(p[0]) == 20);
        Assert.Contains(polls, p => p.Count > 1);
        Assert.Empty(await PollRestAsync(consumer));
    }

    // ---- consumer groups ----------------------------------------------------------------------------------------

    [Fact]
    public async Task A_new_member_of_a_group_resumes_from_the_committed_offsets()
    {
        await using var log = await OpenAsync();
        var topic = Name("resumed");
        await CreateTopicAsync(log, new TopicSpec(topic, 2));
        await ProduceAsync(log, Numbered(topic, 0, 40));
        var spec = new ConsumerSpec(Name("group"), [topic]);
        List<LogRecord> uncommitted;
        List<TopicPartitionOffset> committed;
        await using (var first = log.CreateConsumer(spec with { MemberId = "first" }))
        {
            var read = await PollUntilAsync(first, 40);
            // Half of each partition is done: the next member redoes the other half.
            committed = read.GroupBy(r => r.TopicPartition)
                .Select(p => new TopicPartitionOffset(topic, p.Key.Partition, p.ElementAt(p.Count() / 2).Offset))
                .ToList();
            await first.CommitAsync(committed, Ct);
            uncommitted = read.Where(r => r.Offset >= committed.Single(c => c.Partition == r.Partition).Offset).ToList();
        }

        await ProduceAsync(log, Numbered(topic, 40, 10));
        await using var second = log.CreateConsumer(spec with { MemberId = "second" });
        var resumed = await PollUntilAsync(second, uncommitted.Count + 10);
        resumed.AddRange(await PollRestAsync(second));

        Assert.Equal(uncommitted.Select(Number).Concat(Enumerable.Range(40, 10)).Order(), resumed.Select(Number).Order());
        Assert.Equal(Identities(uncommitted), Identities(resumed.Where(r => Number(r) < 40)));
    }

    [Fact]
    public async Task GetCommitted_answers_the_groups_committed_offsets_and_nothing_for_a_partition_never_committed()
    {
        await using var log = await OpenAsync();
        var topic = Name("committed");
        await CreateTopicAsync(log, new TopicSpec(topic, 3));
        await ProduceAsync(log, Numbered(topic, 0, 30));
        var spec = new ConsumerSpec(Name("group"), [topic]);
        await using var consumer = log.CreateConsumer(spec);
        var read = await PollUntilAsync(consumer, 30);
        var partitions = read.Select(r => r.TopicPartition).Distinct().OrderBy(p => p.Partition).ToList();
        var first = partitions[0];
        await consumer.CommitAsync([new TopicPartitionOffset(first.Topic, first.Partition, 2)], Ct);

        var committed = await consumer.GetCommittedAsync([new TopicPartition(topic, 0), new TopicPartition(topic, 1), new TopicPartition(topic, 2)], Ct);

        Assert.Equal(new Dictionary<TopicPartition, long> { [first] = 2 }, committed);
    }

    [Fact]
    public async Task Each_group_reads_every_record_and_the_description_shows_each_groups_committed_offsets()
    {
        await using var log = await OpenAsync();
        var topic = Name("shared");
        await CreateTopicAsync(log, new TopicSpec(topic, 2));
        await ProduceAsync(log, Numbered(topic, 0, 30));
        string done = Name("done"), started = Name("started");

        await using var whole = log.CreateConsumer(new ConsumerSpec(done, [topic]));
        var all = await PollUntilAsync(whole, 30);
        await whole.CommitAsync(NextOffsets(all), Ct);
        await using var partial = log.CreateConsumer(new ConsumerSpec(started, [topic]));
        var again = await PollUntilAsync(partial, 30);
        var first = again[0];
        await partial.CommitAsync([new TopicPartitionOffset(topic, first.Partition, first.Offset + 1)], Ct);

        Assert.Equal(Identities(all), Identities(again));
        var description = (await log.DescribeTopicAsync(topic, Ct))!;
        Assert.Equal(30, description.RecordCount);
        foreach (var partition in description.Partitions)
        {
            if (partition.EndOffset > 0)
            {
                Assert.Equal(partition.EndOffset, partition.CommittedOffsets[done]);
            }

            if (partition.Partition == first.Partition)
            {
                Assert.Equal(first.Offset + 1, partition.CommittedOffsets[started]);
            }
            else
            {
                Assert.False(partition.CommittedOffsets.ContainsKey(started), $"{started} committed nothing on partition {partition.Partition}");
            }
        }
    }

    [Fact]
    public async Task Two_members_of_a_group_split_its_partitions_and_each_record_is_read_by_one_of_them()
    {
        SkipUnlessKept(LogPromise.MembersOfAGroupSplitThePartitions);
        await using var log = await OpenAsync();
        var topic = Name("split");
        await CreateTopicAsync(log, new TopicSpec(topic, 4));
        var spec = new ConsumerSpec(Name("group"), [topic]);
        await using var first = log.CreateConsumer(spec with { MemberId = "first" });
        await using var second = log.CreateConsumer(spec with { MemberId = "second" });

        // Both keep polling (a member that stops polling loses its partitions) until the group has settled.
        await EventuallyAsync("the group's 4 partitions split between its 2 members", async () =>
        {
            Assert.Empty(await first.PollAsync(100, TimeSpan.FromMilliseconds(50), Ct));
            Assert.Empty(await second.PollAsync(100, TimeSpan.FromMilliseconds(50), Ct));
            return first.Assignment.Count > 0 && second.Assignment.Count > 0
                && first.Assignment.Count + second.Assignment.Count == 4
                && !first.Assignment.Intersect(second.Assignment).Any();
        });
        await ProduceAsync(log, Numbered(topic, 0, 60));
        var byFirst = new List<LogRecord>();
        var bySecond = new List<LogRecord>();
        var deadline = DateTime.UtcNow + Patience;
        while (byFirst.Count + bySecond.Count < 60 && DateTime.UtcNow < deadline)
        {
            byFirst.AddRange(await first.PollAsync(100, TimeSpan.FromMilliseconds(50), Ct));
            bySecond.AddRange(await second.PollAsync(100, TimeSpan.FromMilliseconds(50), Ct));
        }

        Assert.Equal(Enumerable.Range(0, 60), byFirst.Concat(bySecond).Select(Number).Order());
        Assert.All(byFirst, r => Assert.Contains(r.TopicPartition, first.Assignment));
        Assert.All(bySecond, r => Assert.Contains(r.TopicPartition, second.Assignment));
    }

    [Fact]
    public async Task The_assignment_generation_changes_when_a_member_gives_partitions_up_and_when_it_gets_them_back()
    {
        SkipUnlessKept(LogPromise.MembersOfAGroupSplitThePartitions);
        await using var log = await OpenAsync();
        var topic = Name("generation");
        await CreateTopicAsync(log, new TopicSpec(topic, 2));
        var spec = new ConsumerSpec(Name("group"), [topic]);
        await using var first = log.CreateConsumer(spec with { MemberId = "first" });
        await EventuallyAsync("the first member owns both partitions", async () =>
        {
            await first.PollAsync(100, TimeSpan.FromMilliseconds(50), Ct);
            return first.Assignment.Count == 2;
        });
        long alone = first.AssignmentGeneration;
        var second = log.CreateConsumer(spec with { MemberId = "second" });
        await EventuallyAsync("the partitions split between the two members", async () =>
        {
            await first.PollAsync(100, TimeSpan.FromMilliseconds(50), Ct);
            await second.PollAsync(100, TimeSpan.FromMilliseconds(50), Ct);
            return first.Assignment.Count == 1 && second.Assignment.Count == 1;
        });
        long shared = first.AssignmentGeneration;
        await second.DisposeAsync();
        await EventuallyAsync("the first member owns both partitions again", async () =>
        {
            await first.PollAsync(100, TimeSpan.FromMilliseconds(50), Ct);
            return first.Assignment.Count == 2;
        });

        Assert.NotEqual(alone, shared);
        Assert.NotEqual(shared, first.AssignmentGeneration);
    }

    [Fact]
    public async Task A_group_without_committed_offsets_reads_only_new_records_when_it_starts_at_Latest()
    {
        await using var log = await OpenAsync();
        var topic = Name("latest");
        await CreateTopicAsync(log, new TopicSpec(topic, 2));
        await ProduceAsync(log, Numbered(topic, 0, 20));
        await using var consumer = log.CreateConsumer(new ConsumerSpec(Name("group"), [topic]) { WhenNoCommittedOffset = StartPosition.Latest });

        var beforeJoining = await CatchUpAsync(consumer, 2);
        await ProduceAsync(log, Numbered(topic, 20, 5));
        var read = beforeJoining.Concat(await PollUntilAsync(consumer, 5 - beforeJoining.Count)).ToList();
        read.AddRange(await PollRestAsync(consumer));

        SkipUnlessKept(LogPromise.StartsAtLatestWhenAsked);
        Assert.Equal(Enumerable.Range(20, 5), read.Select(Number).Order());
    }

    [Fact]
    public async Task RewindToCommitted_goes_back_to_the_committed_offsets_and_to_the_start_where_none()
    {
        await using var log = await OpenAsync();
        var topic = Name("rewound");
        await CreateTopicAsync(log, new TopicSpec(topic, 2));
        await ProduceAsync(log, Numbered(topic, 0, 30));
        await using var consumer = log.CreateConsumer(new ConsumerSpec(Name("group"), [topic]));
        var read = await PollUntilAsync(consumer, 30);
        var partitions = read.Select(r => r.Partition).Distinct().Order().ToList();
        Assert.True(partitions.Count == 2, "30 keyed records should fill both partitions");
        // Partition A committed halfway; partition B never: it goes back to the start (Earliest).
        int halfway = read.Count(r => r.Partition == partitions[0]) / 2;
        await consumer.CommitAsync([new TopicPartitionOffset(topic, partitions[0], halfway)], Ct);
        Assert.Empty(await PollRestAsync(consumer));

        await consumer.RewindToCommittedAsync(Ct);
        var again = await PollUntilAsync(consumer, 30 - halfway);
        again.AddRange(await PollRestAsync(consumer));

        Assert.Equal(Identities(read.Where(r => r.Partition != partitions[0] || r.Offset >= halfway)), Identities(again));
    }

    [Fact]
    public async Task GetLag_reports_the_position_and_end_offset_of_each_assigned_partition()
    {
        await using var log = await OpenAsync();
        var topic = Name("lagging");
        await CreateTopicAsync(log, new TopicSpec(topic, 2));
        await ProduceAsync(log, Numbered(topic, 0, 20));
        await using var consumer = log.CreateConsumer(new ConsumerSpec(Name("group"), [topic]));
        var read = await PollUntilAsync(consumer, 20);

        var caughtUp = await consumer.GetLagAsync(Ct);
        Assert.Equal(consumer.Assignment.Select(p => p.ToString()).Order(StringComparer.Ordinal),
            caughtUp.Select(l => new TopicPartition(l.Topic, l.Partition).ToString()).Order(StringComparer.Ordinal));
        Assert.Equal(2, caughtUp.Count);
        Assert.All(caughtUp, l => Assert.Equal(read.Count(r => r.Partition == l.Partition), l.Position));
        Assert.All(caughtUp, l => Assert.Equal(l.Position, l.EndOffset));

        await ProduceAsync(log, Numbered(topic, 20, 6));
        var description = (await log.DescribeTopicAsync(topic, Ct))!;
        await EventuallyAsync("a lag of 6 records at the described end offsets", async () =>
        {
            var lags = await consumer.GetLagAsync(Ct);
            return lags.Sum(l => l.Lag) == 6 && lags.All(l => l.EndOffset == description.Partitions[l.Partition].EndOffset);
        });

        await PollUntilAsync(consumer, 6);
        Assert.All(await consumer.GetLagAsync(Ct), l => Assert.Equal(0, l.Lag));
    }

    // ---- units of work ------------------------------------------------------------------------------------------

    [Fact]
    public async Task A_committed_unit_of_work_publishes_its_outputs_keyed_to_partitions()
    {
        await using var log = await OpenAsync();
        var (input, output) = await InputAndOutputAsync(log, 20);
        await using var consumer = Transactional(log, input);
        var batch = await PollUntilAsync(consumer, 20);

        await CommitUnitAsync(consumer, output, batch, "out");

        await using var reader = log.CreateConsumer(new ConsumerSpec(Name("readers"), [output]));
        var published = await PollUntilAsync(reader, 20);
        published.AddRange(await PollRestAsync(reader));
        Assert.Equal(batch.Select(r => $"out-{Number(r)}").Order(StringComparer.Ordinal), published.Select(r => Text(r.Value)).Order(StringComparer.Ordinal));
        foreach (var key in published.GroupBy(r => Text(r.Key)))
        {
            Assert.Single(key.Select(r => r.Partition).Distinct());
        }
        // A reader that has read every output and keeps polling comes to stand at the end, even where the engine wrote
        // more than records there (Kafka's commit markers, passed once the client reports the partition's end): what
        // the pipelines' until-idle relies on.
        await EventuallyAsync("no lag left on the outputs once all were read", async () =>
        {
            Assert.Empty(await reader.PollAsync(10, TimeSpan.FromMilliseconds(100), Ct));
            return (await reader.GetLagAsync(Ct)).All(l => l.Lag == 0);
        });
    }

    [Fact]
    public async Task A_committed_unit_of_work_stores_the_groups_offsets_with_its_outputs()
    {
        await using var log = await OpenAsync();
        var (input, output) = await InputAndOutputAsync(log, 20);
        var spec = new ConsumerSpec(Name("group"), [input]) { Transactional = true };
        await using (var consumer = log.CreateConsumer(spec with { MemberId = "first" }))
        {
            var batch = await PollUntilAsync(consumer, 20);
            await CommitUnitAsync(consumer, output, batch, "out");
        }

        var description = (await log.DescribeTopicAsync(input, Ct))!;
        await ProduceAsync(log, Numbered(input, 20, 3));
        await using var next = log.CreateConsumer(spec with { MemberId = "second" });
        var resumed = await PollUntilAsync(next, 3);
        resumed.AddRange(await PollRestAsync(next));

        SkipUnlessKept(LogPromise.UnitOfWorkStoresOffsets);
        Assert.All(description.Partitions.Where(p => p.EndOffset > 0), p => Assert.Equal(p.EndOffset, p.CommittedOffsets[spec.Group]));
        Assert.Equal(new[] { 20, 21, 22 }, resumed.Select(Number).Order());
    }

    [Fact]
    public async Task An_abandoned_unit_of_work_commits_no_offsets_and_the_rewound_consumer_reads_its_batch_again()
    {
        await using var log = await OpenAsync();
        var (input, output) = await InputAndOutputAsync(log, 10);
        await using var consumer = Transactional(log, input);
        var batch = await PollUntilAsync(consumer, 10);

        await AbandonUnitAsync(consumer, output, batch);

        var description = (await log.DescribeTopicAsync(input, Ct))!;
        Assert.All(description.Partitions, p => Assert.Empty(p.CommittedOffsets));
        await consumer.RewindToCommittedAsync(Ct);
        var again = await PollUntilAsync(consumer, 10);
        again.AddRange(await PollRestAsync(consumer));
        Assert.Equal(Identities(batch), Identities(again));
    }

    [Fact]
    public async Task Outputs_of_an_abandoned_unit_of_work_are_never_read()
    {
        await using var log = await OpenAsync();
        var (input, output) = await InputAndOutputAsync(log, 10);
        await using var consumer = Transactional(log, input);
        var batch = await PollUntilAsync(consumer, 10);
        await AbandonUnitAsync(consumer, output, batch);
        await consumer.RewindToCommittedAsync(Ct);
        var redo = await PollUntilAsync(consumer, 10);
        await CommitUnitAsync(consumer, output, redo, "redone");

        await using var reader = log.CreateConsumer(new ConsumerSpec(Name("readers"), [output]));
        var published = await PollUntilAsync(reader, 10);
        published.AddRange(await PollRestAsync(reader));

        SkipUnlessKept(LogPromise.AbandonedOutputsStayInvisible);
        Assert.Equal(redo.Select(r => $"redone-{Number(r)}").Order(StringComparer.Ordinal), published.Select(r => Text(r.Value)).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Outputs_of_consecutive_units_of_work_are_counted_as_records_not_offsets()
    {
        await using var log = await OpenAsync();
        var input = Name("in");
        var output = Name("out");
        await CreateTopicAsync(log, new TopicSpec(input, 1));
        await CreateTopicAsync(log, new TopicSpec(output, 1));
        await ProduceAsync(log, Numbered(input, 0, 12));
        await using var consumer = Transactional(log, input);
        var batch = await PollUntilAsync(consumer, 12);
        await CommitUnitAsync(consumer, output, batch[..8], "out");
        await CommitUnitAsync(consumer, output, batch[8..], "out");

        var readers = Name("readers");
        await using var reader = log.CreateConsumer(new ConsumerSpec(readers, [output]));
        var published = await PollUntilAsync(reader, 12);

        Assert.Equal(Enumerable.Range(0, 12), published.Select(Number));
        // Offsets rise but need not be consecutive: on Kafka each transaction ends with a commit marker that takes one.
        Assert.All(published.Zip(published.Skip(1)), pair => Assert.True(pair.Second.Offset > pair.First.Offset, $"offset {pair.Second.Offset} after {pair.First.Offset}"));
        var partition = new TopicPartition(output, 0);
        long end = (await log.DescribeTopicAsync(output, Ct))!.Partitions[0].EndOffset;
        Assert.Equal(12, await log.CountRecordsAsync(partition, 0, end, cancellationToken: Ct));
        Assert.Equal(8, await log.CountRecordsAsync(partition, 0, published[8].Offset, cancellationToken: Ct));
        Assert.Equal(4, await log.CountRecordsAsync(partition, published[8].Offset, end, cancellationToken: Ct));
        Assert.Equal(1, await log.CountRecordsAsync(partition, published[3].Offset, end, atMost: 1, cancellationToken: Ct));

        // A group whose member is elsewhere (this one owns none of the partitions) is drained only by its committed
        // offsets: until-idle (InputDrain) must find no record after them, though a marker may follow the last record.
        await using var bystander = log.CreateConsumer(new ConsumerSpec(Name("bystanders"), [input]));
        Assert.False(await InputDrain.IsCompleteAsync(log, bystander, [], output, readers), "drained before the group committed anything");
        await reader.CommitAsync(NextOffsets(published), Ct);
        var described = (await log.DescribeTopicAsync(output, Ct))!.Partitions[0];
        Assert.Equal(published[^1].Offset + 1, described.CommittedOffsets[readers]);
        Assert.Equal(0, await log.CountRecordsAsync(partition, described.CommittedOffsets[readers], described.EndOffset, cancellationToken: Ct));
        Assert.True(await InputDrain.IsCompleteAsync(log, bystander, [], output, readers), "not drained though the group committed past every record");
    }

    [Fact]
    public async Task A_unit_of_work_appending_to_a_missing_topic_throws_UnknownTopicException_and_writes_nothing()
    {
        await using var log = await OpenAsync();
        var (input, output) = await InputAndOutputAsync(log, 5);
        var missing = Name("missing");
        await using var consumer = Transactional(log, input);
        var batch = await PollUntilAsync(consumer, 5);

        Exception? failure;
        await using (var unit = consumer.BeginUnitOfWork())
        {
            // Good outputs first: a unit that fails must take them back too.
            foreach (var record in batch)
            {
                unit.Append(output, record.Key, record.Value);
            }

            unit.Append(missing, Bytes("key"), Bytes("lost"));
            unit.CommitOffsets(NextOffsets(batch));
            failure = await Record.ExceptionAsync(() => unit.CommitAsync(Ct).AsTask());
        }

        Assert.Equal(missing, Assert.IsType<UnknownTopicException>(failure).Topic);
        Assert.All((await log.DescribeTopicAsync(input, Ct))!.Partitions, p => Assert.Empty(p.CommittedOffsets));
        Assert.DoesNotContain(missing, await log.ListTopicsAsync(Ct));
        SkipUnlessKept(LogPromise.FailedUnitOfWorkWritesNothing);
        SkipUnlessKept(LogPromise.AbandonedOutputsStayInvisible);
        await using var reader = log.CreateConsumer(new ConsumerSpec(Name("readers"), [output]));
        Assert.Empty(await PollRestAsync(reader));
    }

    [Fact]
    public async Task Only_one_unit_of_work_is_open_at_a_time()
    {
        await using var log = await OpenAsync();
        var input = Name("in");
        await CreateTopicAsync(log, new TopicSpec(input, 1));
        await using var consumer = Transactional(log, input);

        bool refused;
        await using (consumer.BeginUnitOfWork())
        {
            refused = await RefusesAsync(consumer.BeginUnitOfWork);
        }

        await using (consumer.BeginUnitOfWork())
        {
            // The first unit ended: a new one may begin.
        }

        SkipUnlessKept(LogPromise.OneUnitOfWorkAtATime);
        Assert.True(refused, "a second BeginUnitOfWork while one was open did not throw InvalidOperationException");
    }

    [Fact]
    public async Task A_unit_of_work_needs_a_transactional_consumer()
    {
        await using var log = await OpenAsync();
        var input = Name("in");
        await CreateTopicAsync(log, new TopicSpec(input, 1));
        await using var consumer = log.CreateConsumer(new ConsumerSpec(Name("group"), [input]));

        bool refused = await RefusesAsync(consumer.BeginUnitOfWork);

        SkipUnlessKept(LogPromise.UnitOfWorkRequiresTransactional);
        Assert.True(refused, "BeginUnitOfWork on a consumer without ConsumerSpec.Transactional did not throw InvalidOperationException");
    }

    [Fact]
    public async Task A_unit_of_work_committing_a_partition_its_member_does_not_own_throws_PartitionsLost_and_commits_no_offsets()
    {
        await using var log = await OpenAsync();
        var (input, output) = await InputAndOutputAsync(log, 5);
        var other = Name("other");
        await CreateTopicAsync(log, new TopicSpec(other, 1));
        await using var consumer = Transactional(log, input);
        var batch = await PollUntilAsync(consumer, 5);

        Exception? failure;
        await using (var unit = consumer.BeginUnitOfWork())
        {
            foreach (var record in batch)
            {
                unit.Append(output, record.Key, record.Value);
            }

            unit.CommitOffsets([.. NextOffsets(batch), new TopicPartitionOffset(other, 0, 1)]);
            failure = await Record.ExceptionAsync(() => unit.CommitAsync(Ct).AsTask());
        }

        SkipUnlessKept(LogPromise.UnitOfWorkChecksOwnership);
        var lost = Assert.IsType<PartitionsLostException>(failure);
        Assert.Contains(new TopicPartition(other, 0), lost.Partitions);
        Assert.All((await log.DescribeTopicAsync(input, Ct))!.Partitions, p => Assert.Empty(p.CommittedOffsets));
        Assert.All((await log.DescribeTopicAsync(other, Ct))!.Partitions, p => Assert.Empty(p.CommittedOffsets));
    }

    // ---- helpers ------------------------------------------------------------------------------------------------

    /// <summary>A name of this test's own ("{purpose}-{run}"), for topics and groups.</summary>
    private string Name(string purpose) => $"{purpose}-{_run}";

    private void SkipUnlessKept(LogPromise promise)
    {
        if (WhyNot(promise) is { } reason)
        {
            Assert.Skip($"{ExpectedEngine} does not keep {promise}: {reason}");
        }
    }

    private static async Task AssertEmptyTopicAsync(ILog log, string topic, int partitions)
    {
        Assert.Contains(topic, await log.ListTopicsAsync(Ct));
        var description = await log.DescribeTopicAsync(topic, Ct);
        Assert.NotNull(description);
        Assert.Equal(topic, description.Name);
        Assert.Equal(Enumerable.Range(0, partitions), description.Partitions.Select(p => p.Partition));
        Assert.All(description.Partitions, p => Assert.Equal((0L, 0L), (p.StartOffset, p.EndOffset)));
        Assert.All(description.Partitions, p => Assert.Empty(p.CommittedOffsets));
        Assert.Equal(0, description.RecordCount);
    }

    /// <summary>An input topic (2 partitions) holding <paramref name="records"/> numbered records, and an empty output topic (2 partitions).</summary>
    private async Task<(string Input, string Output)> InputAndOutputAsync(ILog log, int records)
    {
        var input = Name("in");
        var output = Name("out");
        await CreateTopicAsync(log, new TopicSpec(input, 2));
        await CreateTopicAsync(log, new TopicSpec(output, 2));
        await ProduceAsync(log, Numbered(input, 0, records));
        return (input, output);
    }

    private ILogConsumer Transactional(ILog log, string input) =>
        log.CreateConsumer(new ConsumerSpec(Name("group"), [input]) { Transactional = true });

    /// <summary>One output per record ("{prefix}-{i}", same key) and the batch's next offsets, committed as one unit.</summary>
    private static async Task CommitUnitAsync(ILogConsumer consumer, string output, IReadOnlyList<LogRecord> batch, string prefix)
    {
        await using var unit = consumer.BeginUnitOfWork();
        foreach (var record in batch)
        {
            unit.Append(output, record.Key, Bytes($"{prefix}-{Number(record)}"));
        }

        unit.CommitOffsets(NextOffsets(batch));
        await unit.CommitAsync(Ct);
    }

    /// <summary>Stages outputs and offsets for the batch, then disposes the unit without committing it.</summary>
    private static async Task AbandonUnitAsync(ILogConsumer consumer, string output, IReadOnlyList<LogRecord> batch)
    {
        await using var unit = consumer.BeginUnitOfWork();
        foreach (var record in batch)
        {
            unit.Append(output, record.Key, Bytes($"abandoned-{Number(record)}"));
        }

        unit.CommitOffsets(NextOffsets(batch));
    }

    /// <summary>True when <paramref name="begin"/> throws InvalidOperationException; a unit it did open is abandoned.</summary>
    private static async Task<bool> RefusesAsync(Func<ILogUnitOfWork> begin)
    {
        ILogUnitOfWork unit;
        try
        {
            unit = begin();
        }
        catch (InvalidOperationException)
        {
            return true;
        }

        await unit.DisposeAsync();
        return false;
    }
}
