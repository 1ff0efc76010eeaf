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

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }
}
