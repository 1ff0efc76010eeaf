using Datastream.Pipelines.Search;

namespace Datastream.Web.Api;

/// <summary>/api/rides: search (the discover page) and one ride by id.</summary>
public static class RidesApi
{
    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/api/rides", async (HttpRequest request, RunningSystem system, DashboardQueries queries, CancellationToken cancellation) =>
        {
            RideQuery query;
            try
            {
                query = RideSearchParameters.Parse(request.Query);
                if (RideSearchParameters.Range(request.Query) is { } range)
                {
                    query = query with { FromUtc = await queries.StartOfAsync(range, cancellation) };
                }
            }
            catch (ArgumentException error)
            {
                return Results.Problem(error.Message, statusCode: StatusCodes.Status400BadRequest);
            }

            var page = await system.Index.SearchAsync(query, cancellation);
            return Results.Ok(new { total = page.Total, offset = query.Offset, limit = query.Limit, rides = page.Rides.Select(RideDocument.From) });
        });
        app.MapGet("/api/rides/{rideId}", async (string rideId, RunningSystem system, CancellationToken cancellation) =>
        {
            if (!Guid.TryParse(rideId, out var id))
            {
                return Results.Problem($"ride_id: '{rideId}' is not a UUID", statusCode: StatusCodes.Status400BadRequest);
            }

            var page = await system.Index.SearchAsync(new RideQuery { RideId = id, Limit = 1 }, cancellation);
            return page.Rides.Count > 0
                ? Results.Ok(RideDocument.From(page.Rides[0]))
                : Results.Problem($"no ride {id} in the index", statusCode: StatusCodes.Status404NotFound);
        });
    }
}
