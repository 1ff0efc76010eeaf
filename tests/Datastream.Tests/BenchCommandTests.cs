using Datastream.Cli;

namespace Datastream.Tests;

public sealed class BenchCommandTests
{
    [Theory]
    [InlineData(new[] { 0.5 }, 0.5)]
    [InlineData(new[] { 0.3, 0.1, 0.2 }, 0.2)]
    [InlineData(new[] { 0.4, 0.1, 0.3, 0.2 }, 0.25)]
    [InlineData(new[] { 0.9, 0.1, 0.1, 0.1, 0.8, 0.7, 0.2 }, 0.2)]
    public void Median_IsTheMiddlePass_OrTheMeanOfTheTwoMiddleOnes(double[] seconds, double median) =>
        Assert.Equal(median, BenchCommand.Median(seconds), precision: 12);
}
