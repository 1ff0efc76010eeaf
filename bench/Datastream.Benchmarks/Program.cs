using BenchmarkDotNet.Running;
using Datastream.Benchmarks.Analytics;

namespace Datastream.Benchmarks;

public static class Program
{
    public static int Main(string[] args)
    {
        if (args is ["fuzz", .. var fuzzArgs])
        {
            return FuzzCommand.Run(fuzzArgs);
        }

        if (args is ["kafka", .. var kafkaArgs])
        {
            return Kafka.KafkaCommand.RunAsync(kafkaArgs).GetAwaiter().GetResult();
        }

        if (args is ["lake", .. var lakeArgs])
        {
            return LakeFillCommand.RunAsync(lakeArgs).GetAwaiter().GetResult();
        }

        if (args is ["revenue", .. var revenueArgs])
        {
            return RevenueQueryCommand.RunAsync(revenueArgs).GetAwaiter().GetResult();
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }
}
