using CsCheck;

namespace Datastream.Core.Fuzzing;

/// <summary>One parser under fuzzing: its name, its input mix and its property (a new one per thread or after a failure).</summary>
public sealed record FuzzTarget(string Name, Gen<byte[]> Inputs, Func<IParserProperty> NewProperty)
{
    /// <summary>RideRecordParser, through ComputeCostTravel.</summary>
    public static readonly FuzzTarget Standard = new("standard", FuzzInputs.Standard, () => new ComputeCostProperty());

    /// <summary>CourseRecordParser, through ComputeCostTravel.</summary>
    public static readonly FuzzTarget Course = new("course", FuzzInputs.Course, () => new ComputeCostProperty());

    public static readonly FuzzTarget TransformJson = new("transform-json", FuzzInputs.RideResult, () => new TransformJsonProperty());

    public static IReadOnlyList<FuzzTarget> All { get; } = [Standard, Course, TransformJson];
}
