using CsCheck;

namespace Datastream.Core.Fuzzing;

/// <summary>
/// A generator written as plain code over CsCheck's random source, for text whose shape depends on earlier
/// draws (escapes chosen per character, mutations at positions found in the bytes). Failures are reduced by
/// <see cref="FailureMinimizer"/>, not by CsCheck's shrinking, so every value has the same size.
/// </summary>
internal sealed class GenFrom<T>(Func<PCG, T> generate) : Gen<T>
{
    public override T Generate(PCG pcg, Size? min, out Size size)
    {
        size = new Size(0);
        return generate(pcg);
    }
}
