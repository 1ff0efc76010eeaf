using Datastream.Kafka.Testing;
namespace Datastream.Kafka.Tests;

/// <summary>One mock cluster shared by the tests that need a broker; each test uses its own topics and groups.</summary>
[CollectionDefinition(Name)]
public sealed class MockClusterCollection : ICollectionFixture<MockKafkaCluster>
{
    public const string Name = "mock kafka cluster";
}
