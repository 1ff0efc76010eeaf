using System.Text;
using CsCheck;

namespace Datastream.Core.Fuzzing;

/// <summary>
/// The input mix of each parser: valid records, their byte mutations (most of the mix) and random JSON documents,
/// whole or mutated.
/// </summary>
public static class FuzzInputs
{
    private static readonly Gen<byte[]> RandomDocuments = RandomJson.Document(hostile: true).Select(Encoding.UTF8.GetBytes);

    private static readonly Gen<byte[]> RandomCourseDocuments = RandomJson.Document(hostile: true).Array[1, 3]
        .Select(elements => Encoding.UTF8.GetBytes("{\"data\":[" + string.Join(",", elements) + "]}"));

    public static readonly Gen<byte[]> Standard = Gen.Frequency(
        (2, StandardRideGen.Valid),
        (6, ByteMutator.Mutations(StandardRideGen.Valid)),
        (2, RandomDocuments),
        (1, ByteMutator.Mutations(RandomDocuments)));

    public static readonly Gen<byte[]> Course = Gen.Frequency(
        (2, CourseRecordGen.Valid),
        (6, ByteMutator.Mutations(CourseRecordGen.Valid)),
        (1, RandomCourseDocuments),
        (1, ByteMutator.Mutations(RandomCourseDocuments)));

    public static readonly Gen<byte[]> RideResult = Gen.Frequency(
        (2, RideResultGen.Valid),
        (6, ByteMutator.Mutations(RideResultGen.Valid)),
        (2, RandomDocuments),
        (1, ByteMutator.Mutations(RandomDocuments)));
}
