using Datastream.Core.Rides;
using Datastream.Web.Api;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace Datastream.Tests.Web;

public sealed class RideSearchParametersTests
{
    [Fact]
    public void EveryFilter_IsRead()
    {
        var id = Guid.NewGuid();
        var query = RideSearchParameters.Parse(Query(("from", "2025-10-30T16:00:00Z"), ("to", "2025-10-30T17:00:00+01:00"), ("comfort", "High"),
            ("min_price", "10.5"), ("max_price", "20"), ("ride_id", id.ToString()), ("offset", "100"), ("limit", "25")));

        Assert.Equal(new DateTime(2025, 10, 30, 16, 0, 0, DateTimeKind.Utc), query.FromUtc);
        Assert.Equal(DateTimeKind.Utc, query.FromUtc!.Value.Kind);
        Assert.Equal(new DateTime(2025, 10, 30, 16, 0, 0, DateTimeKind.Utc), query.ToUtc);
        Assert.Equal(Comfort.High, query.Comfort);
        Assert.Equal(10.5, query.MinPrice);
        Assert.Equal(20, query.MaxPrice);
        Assert.Equal(id, query.RideId);
        Assert.Equal(100, query.Offset);
        Assert.Equal(25, query.Limit);
    }

    [Fact]
    public void NoParameters_MeanNoFilterAndTheFirstPage()
    {
        var query = RideSearchParameters.Parse(Query());

        Assert.Null(query.FromUtc);
        Assert.Null(query.Comfort);
        Assert.Null(query.RideId);
        Assert.Equal(0, query.Offset);
        Assert.Equal(50, query.Limit);
    }

    [Theory]
    [InlineData("comfort", "luxury", "comfort: 'luxury' is not one of low, medium, high")]
    [InlineData("ride_id", "42", "ride_id: '42' is not a UUID")]
    [InlineData("min_price", "cheap", "min_price: 'cheap' is not a number")]
    [InlineData("max_price", "NaN", "max_price: 'NaN' is not a number")]
    [InlineData("from", "30/10/2025", "from: '30/10/2025' is not an ISO-8601 instant")]
    [InlineData("limit", "501", "limit: 501 is not between 1 and 500")]
    [InlineData("limit", "ten", "limit: 'ten' is not an integer")]
    [InlineData("offset", "-1", "offset: -1 is negative")]
    public void ABadValue_IsNamedInOneLine(string name, string value, string message)
    {
        var error = Assert.Throws<ArgumentException>(() => RideSearchParameters.Parse(Query((name, value))));

        Assert.StartsWith(message, error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    private static QueryCollection Query(params (string Name, string Value)[] values) =>
        new(values.ToDictionary(v => v.Name, v => new StringValues(v.Value)));
}
