using System.Text;

namespace Datastream.Embedded.Tests;

public sealed class KafkaPartitionerTests
{
    // Apache Kafka's own vectors (UtilsTest.testMurmur2): keys must land where Java clients put them.
    [Theory]
    [InlineData("21", -973932308)]
    [InlineData("foobar", -790332482)]
    [InlineData("a-little-bit-long-string", -985981536)]
    [InlineData("a-little-bit-longer-string", -1486304829)]
    [InlineData("lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8", -58897971)]
    [InlineData("abc", 479470107)]
    public void Murmur2_matches_the_java_client(string key, int expected) =>
        Assert.Equal(expected, KafkaPartitioner.Murmur2(Encoding.UTF8.GetBytes(key)));

    [Fact]
    public void Partition_is_the_positive_hash_modulo_partitions()
    {
        var key = Encoding.UTF8.GetBytes("21");
        Assert.Equal((-973932308 & 0x7fffffff) % 6, KafkaPartitioner.PartitionOf(key, 6));
    }
}
