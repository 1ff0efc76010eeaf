using Confluent.Kafka;

namespace Datastream.Kafka;

/// <summary>What a failed transactional call means for the member that made it.</summary>
internal static class TransactionFailure
{
    /// <summary>
    /// Errors that say another member (or a newer instance of this producer) owns the work now: the group
    /// generation this batch was read under is stale, or the producer was fenced. Redoing the batch here would
    /// duplicate the new owner's work, so the batch is dropped (PartitionsLostException), not retried.
    /// </summary>
    public static bool MeansOwnershipLost(Exception error) => error is KafkaException { Error.Code: var code } && code is
        ErrorCode.ProducerFenced or ErrorCode.Local_Fenced or ErrorCode.InvalidProducerEpoch or
        ErrorCode.IllegalGeneration or ErrorCode.UnknownMemberId or ErrorCode.FencedInstanceId or
        ErrorCode.FencedMemberEpoch or ErrorCode.StaleMemberEpoch;

    /// <summary>The producer is unusable (fatal error, e.g. fenced): it must be replaced before the next transaction.</summary>
    public static bool BreaksProducer(Exception error) => error is KafkaException { Error: var e } &&
        (e.IsFatal || e.Code is ErrorCode.ProducerFenced or ErrorCode.Local_Fenced or ErrorCode.InvalidProducerEpoch);
}
