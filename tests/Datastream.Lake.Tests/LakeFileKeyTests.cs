namespace Datastream.Lake.Tests;

public sealed class LakeFileKeyTests
{
    [Fact]
    public void Key_is_hive_layout_zero_padded_with_offsets_in_the_name()
    {
        var key = new LakeFileKey(new DateTime(2025, 3, 7, 5, 0, 0, DateTimeKind.Utc), 12, 9876543210);
        Assert.Equal("rides/processed/year=2025/month=03/day=07/hour=05/part-12-9876543210.parquet", key.ToKey("rides/processed/"));
    }

    [Fact]
    public void Hour_truncates_event_time()
    {
        Assert.Equal(new DateTime(2025, 3, 7, 5, 0, 0), LakeFileKey.HourOf(new DateTime(2025, 3, 7, 5, 59, 59, 999, DateTimeKind.Utc).AddTicks(9999)));
        Assert.Equal(DateTimeKind.Utc, LakeFileKey.HourOf(DateTime.UtcNow).Kind);
    }

    [Theory]
    [InlineData("p/year=2025/hour=01/part-3-17.parquet", true, 3, 17)]
    [InlineData("part-0-0.parquet", true, 0, 0)]
    [InlineData("p/part-3-17.parquet.tmp", false, 0, 0)]
    [InlineData("p/.part-3-17.parquet.abc.tmp", false, 0, 0)]
    [InlineData("p/part--1-17.parquet", false, 0, 0)]
    [InlineData("p/part-3.parquet", false, 0, 0)]
    [InlineData("p/_SUCCESS", false, 0, 0)]
    public void Names_parse_back(string key, bool parses, int partition, long offset)
    {
        Assert.Equal(parses, LakeFileKey.TryParseName(key, out var p, out var o));
        if (parses)
        {
            Assert.Equal(partition, p);
            Assert.Equal(offset, o);
        }
    }
}
