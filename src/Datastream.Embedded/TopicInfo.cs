namespace Datastream.Embedded;

/// <summary>A topic's row in the catalog. Topics never change after creation, so connections cache it.</summary>
internal sealed record TopicInfo(long Id, string Name, int Partitions, long? RetentionMs, long? RetentionBytes)
{
    /// <summary>Batch tables are named by topic id, so any topic name is safe.</summary>
    public string TableOf(int partition) => $"b{Id}_{partition}";
}
