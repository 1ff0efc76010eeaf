namespace Datastream.Log.Testing;

/// <summary>
/// Promises of the log port that an engine, or the test double it runs on here, may declare it does not keep
/// (<see cref="LogContract.WhyNot"/>). The contract runs everything it can of such a test and then reports it as
/// skipped with the engine's reason, so a gap is listed in every test run instead of being silently left out.
/// Every other promise the contract checks is kept by every engine.
/// </summary>
public enum LogPromise
{
    /// <summary><c>ILog.CreateTopicAsync</c> creates a topic that does not exist yet.</summary>
    CreatesTopics,

    /// <summary>Two members of one group split its partitions: each partition is owned by one member, and each record is read once.</summary>
    MembersOfAGroupSplitThePartitions,

    /// <summary>A group without committed offsets and <c>StartPosition.Latest</c> reads only records appended after it joined.</summary>
    StartsAtLatestWhenAsked,

    /// <summary>A committed unit of work stores the group's offsets together with its outputs.</summary>
    UnitOfWorkStoresOffsets,

    /// <summary>Readers never see the outputs of a unit of work that was abandoned or failed.</summary>
    AbandonedOutputsStayInvisible,

    /// <summary>A unit of work whose commit fails (an output to a missing topic) writes none of its outputs.</summary>
    FailedUnitOfWorkWritesNothing,

    /// <summary><c>BeginUnitOfWork</c> refuses while another unit of work of the same consumer is open.</summary>
    OneUnitOfWorkAtATime,

    /// <summary><c>BeginUnitOfWork</c> refuses on a consumer not created with <c>ConsumerSpec.Transactional</c>.</summary>
    UnitOfWorkRequiresTransactional,

    /// <summary>A unit of work committing offsets of a partition the member does not own throws <c>PartitionsLostException</c>.</summary>
    UnitOfWorkChecksOwnership,
}
