using Datastream.Log.Testing;
using Datastream.Pipelines.Log;

namespace Datastream.Pipelines.Tests;

/// <summary>
/// The contract of the log port, on the pipelines' in-memory test double: the pipelines' tests rely on it behaving as
/// the engines do, so it is held to the same contract, with its simplifications declared.
/// </summary>
public sealed class InMemoryLogContractTests : LogContract
{
    protected override string ExpectedEngine => "in-memory";

    protected override Task<ILog> OpenAsync() => Task.FromResult<ILog>(new InMemoryLog());

    protected override string? WhyNot(LogPromise promise) => promise switch
    {
        // The double has one member per group, owning every partition of its topics; fencing is proven on the engines.
        LogPromise.UnitOfWorkChecksOwnership => "InMemoryLog has a single member per group and checks no ownership",
        LogPromise.MembersOfAGroupSplitThePartitions => "InMemoryLog has a single member per group: every consumer owns every partition of its topics",
        // The pipelines always start at Earliest, with transactional consumers, one unit at a time: the double models
        // only that. A pipeline test relying on any of these would pass here and fail on an engine.
        LogPromise.StartsAtLatestWhenAsked => "InMemoryLog starts every group without committed offsets at offset 0, whatever ConsumerSpec.WhenNoCommittedOffset says",
        LogPromise.OneUnitOfWorkAtATime => "InMemoryLog opens a new unit of work on every BeginUnitOfWork call",
        LogPromise.UnitOfWorkRequiresTransactional => "InMemoryLog does not check ConsumerSpec.Transactional",
        // The pipelines' tests fail commits through CommitFailures, thrown before anything is appended.
        LogPromise.FailedUnitOfWorkWritesNothing =>
            "InMemoryLog's unit of work appends its records one by one: those staged before the one to a missing topic stay in the log",
        _ => null,
    };
}
