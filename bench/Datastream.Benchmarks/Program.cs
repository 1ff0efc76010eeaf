using BenchmarkDotNet.Running;

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

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }
}
