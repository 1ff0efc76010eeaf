using CsCheck;

namespace Datastream.Core.Fuzzing;

/// <summary>The few draws the hand-written generators need, on CsCheck's random source.</summary>
internal static class RandomExtensions
{
    public static bool Chance(this PCG pcg, int percent) => pcg.Next(100) < (uint)percent;

    public static int Below(this PCG pcg, int exclusiveMax) => (int)pcg.Next((uint)exclusiveMax);

    public static T Pick<T>(this PCG pcg, IReadOnlyList<T> items) => items[pcg.Below(items.Count)];

    public static T Draw<T>(this PCG pcg, Gen<T> gen) => gen.Generate(pcg, null, out _);

    public static void Shuffle<T>(this PCG pcg, List<T> items)
    {
        for (int i = items.Count - 1; i > 0; i--)
        {
            int j = pcg.Below(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }
}
