using System.CommandLine;
using System.CommandLine.Invocation;

namespace Datastream.Cli;

/// <summary>
/// `--version`: the library's own action prints only the informational version ("0.11.0+&lt;sha&gt;"); this one names
/// the program, the version and the commit apart, on stdout.
/// </summary>
public sealed class VersionAction : SynchronousCommandLineAction
{
    public override int Invoke(ParseResult parseResult)
    {
        parseResult.InvocationConfiguration.Output.WriteLine(ProductVersion.Line);
        return DatastreamCli.Success;
    }
}
