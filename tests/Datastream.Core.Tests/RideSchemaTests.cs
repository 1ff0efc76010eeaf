using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Datastream.Core.Dlq;
using Datastream.Core.Rides;

namespace Datastream.Core.Tests;

/// <summary>
/// The ride schema against the code that spells it out for speed: FlatRide's members, the rides_result writer and the
/// flattener (TransformJSON) must agree with <see cref="RideSchema"/> on every field's name, place and type.
/// </summary>
public sealed class RideSchemaTests
{
    private static readonly DateTime AgentTimestamp = new(2025, 10, 30, 16, 10, 0, 500, DateTimeKind.Utc);

    public static TheoryData<string> ResultFields => new(RideSchema.Flat.Where(f => f.ResultPath is not null).Select(f => f.Name));

    [Fact]
    public void FlatRides_members_are_the_flat_fields_in_schema_order_with_their_types()
    {
        var parameters = typeof(FlatRide).GetConstructors().Single(c => c.GetParameters().Length > 0).GetParameters();

        Assert.Equal(
            RideSchema.Flat.Select(f => (f.Name, f.Type)),
            parameters.Select(p => (JsonNamingPolicy.SnakeCaseLower.ConvertName(p.Name!.Replace("Utc", "", StringComparison.Ordinal)), TypeOf(p.ParameterType))));
    }

    [Fact]
    public void Each_field_reads_its_own_member()
    {
        var ride = new FlatRide(Guid.NewGuid(), AgentTimestamp.AddMinutes(-3), Comfort.High, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, AgentTimestamp);
        var members = typeof(FlatRide).GetConstructors().Single(c => c.GetParameters().Length > 0).GetParameters()
            .Select(p => typeof(FlatRide).GetProperty(p.Name!)!.GetValue(ride)).ToList();

        for (var i = 0; i < RideSchema.Flat.Count; i++)
        {
            var field = RideSchema.Flat[i];
            if (field.Type == RideValueType.Number)
            {
                Assert.Equal((double)members[i]!, field.NumberOf(ride));
            }
            else if (field.Type == RideValueType.Instant)
            {
                Assert.Equal((DateTime)members[i]!, field.InstantOf(ride));
            }
        }

        Assert.Equal(10, RideSchema.Numbers.Count);
        Assert.Null(RideSchema.FirstNonFinite(ride));
        Assert.Same(RideSchema.PricePerKm, RideSchema.FirstNonFinite(ride with { PricePerKm = double.NaN, PriceTotal = double.PositiveInfinity }));
    }

    [Fact]
    public void The_result_writer_writes_every_field_at_its_result_path_and_nothing_else()
    {
        var result = Transform.Accepted(RawRide.Valid().Json);

        foreach (var field in RideSchema.Flat.Where(f => f.ResultPath is not null))
        {
            var value = At(result, field.ResultPath!);
            Assert.True(value.ValueKind == (field.Type == RideValueType.Number ? JsonValueKind.Number : JsonValueKind.String), $"{field.ResultPath} is a {value.ValueKind}");
        }

        var roots = RideSchema.Flat.Where(f => f.ResultPath is not null).Select(f => f.ResultPath!.Split('.')[1]).ToHashSet();
        Assert.True(roots.SetEquals(result.EnumerateObject().Select(p => p.Name)), string.Join(",", result.EnumerateObject().Select(p => p.Name)));
        foreach (var point in new[] { RideSchema.Origin, RideSchema.Destination })
        {
            Assert.Equal([RideSchema.Names.Lat, RideSchema.Names.Lon], result.GetProperty(point.Name).EnumerateObject().Select(p => p.Name));
        }
    }

    [Fact]
    public void The_flattener_reads_every_field_from_its_result_path()
    {
        var result = Transform.Accepted(RawRide.Valid().Json);

        Assert.True(TransformJson.TryFlatten(Encoding.UTF8.GetBytes(result.GetRawText()), AgentTimestamp, out var ride, out var rejection), rejection.ToString());

        foreach (var field in RideSchema.Flat)
        {
            if (field.ResultPath is null)
            {
                Assert.Equal(AgentTimestamp, field.InstantOf(ride));
                continue;
            }

            var value = At(result, field.ResultPath);
            switch (field.Type)
            {
                case RideValueType.Uuid:
                    Assert.Equal(value.GetGuid(), ride.RideId);
                    break;
                case RideValueType.Instant:
                    Assert.Equal(DateTime.Parse(value.GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal), field.InstantOf(ride));
                    break;
                case RideValueType.Comfort:
                    Assert.Equal(value.GetString(), ride.Comfort.WireName());
                    break;
                default:
                    Assert.Equal(value.GetDouble(), field.NumberOf(ride));
                    break;
            }
        }
    }

    [Theory]
    [MemberData(nameof(ResultFields))]
    public void The_flattener_names_the_schemas_path_of_a_missing_field(string name)
    {
        var path = RideSchema.Flat.Single(f => f.Name == name).ResultPath!.Split('.')[1..];
        var document = JsonNode.Parse(Transform.Accepted(RawRide.Valid().Json).GetRawText())!.AsObject();
        var parent = path.Length == 1 ? document : document[path[0]]!.AsObject();
        Assert.True(parent.Remove(path[^1]));

        Assert.False(TransformJson.TryFlatten(Encoding.UTF8.GetBytes(document.ToJsonString()), AgentTimestamp, out _, out var rejection));

        Assert.Equal((RejectionKind.Schema, "$." + string.Join('.', path)), (rejection.Kind, rejection.Path));
    }

    private static JsonElement At(JsonElement document, string path)
    {
        var value = document;
        foreach (var name in path.Split('.')[1..])
        {
            value = value.GetProperty(name);
        }

        return value;
    }

    private static RideValueType TypeOf(Type type) =>
        type == typeof(Guid) ? RideValueType.Uuid
        : type == typeof(DateTime) ? RideValueType.Instant
        : type == typeof(Comfort) ? RideValueType.Comfort
        : type == typeof(double) ? RideValueType.Number
        : throw new ArgumentOutOfRangeException(nameof(type), type, "not a flat field type");
}
