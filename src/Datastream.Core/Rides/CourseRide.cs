namespace Datastream.Core.Rides;

/// <summary>One element of a course-format record's "data" array, validated and mapped to a ride (SPEC §3.2).</summary>
internal struct CourseRide
{
    public RideFields Ride;
    public CourseParty Client;
    public CourseParty Driver;
}
