using System.Text;

namespace Datastream.Core.Fuzzing;

/// <summary>
/// One kind of failure found by a run: how many inputs hit it, the first of them (with the CsCheck seed that
/// generates it again), its error and a minimized input.
/// </summary>
public sealed class FuzzFailure(string parser, string signature, string inputSeed, byte[] input, Exception error)
{
    public string Parser { get; } = parser;

    public string Signature { get; } = signature;

    /// <summary>The CsCheck seed string of the first failing input: <c>--parser P --replay SEED</c> regenerates it.</summary>
    public string InputSeed { get; } = inputSeed;

    public byte[] Input { get; } = input;

    public Exception Error { get; } = error;

    public long Count { get; internal set; } = 1;

    public byte[] MinimalInput { get; internal set; } = input;

    public string Describe()
    {
        var text = new StringBuilder()
            .AppendLine($"[{Parser}] {Signature} ({Count:#,0} inputs)")
            .AppendLine($"  first input: seed {InputSeed} (replay: fuzz --parser {Parser} --replay {InputSeed}), {Input.Length:#,0} bytes")
            .AppendLine($"  minimal input: {CSharpLiteral.Of(MinimalInput)}");
        if (Input.Length <= 1000)
        {
            text.AppendLine($"  input: {CSharpLiteral.Of(Input)}");
        }

        string[] lines = Error.ToString().Split('\n');
        foreach (string line in lines.Take(8))
        {
            text.Append("    ").AppendLine(line.TrimEnd());
        }

        return text.ToString();
    }
}
