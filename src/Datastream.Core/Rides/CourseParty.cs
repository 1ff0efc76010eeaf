namespace Datastream.Core.Rides;

/// <summary>The client or driver of a course-format ride (SPEC §3.2), carried into rides_result as-is; null when absent.</summary>
internal readonly record struct CourseParty(string? Name, string? Phone);
