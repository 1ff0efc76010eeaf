using System.Globalization;

namespace Datastream.IntegrationTests.Hostile;

/// <summary>
/// One element of a course-format record (SPEC §3.2) as JSON text fragments: the driver's position is the origin,
/// the client's the destination, prix_base_per_km the price per km. <see cref="Client"/> names the client uniquely,
/// which is how its result is found (its ride_id is derived by the pipeline).
/// </summary>
public sealed record CourseRideText
{
    public required string Client { get; init; }

    public string? Confort { get; init; } = "\"standard\"";

    public string PrixBasePerKm { get; init; } = "2";

    public string ClientLat { get; init; } = "48.8566";

    public string ClientLon { get; init; } = "2.3522";

    /// <summary>The client's name as raw JSON (null: <see cref="Client"/> as a string).</summary>
    public string? ClientName { get; init; }

    public string ClientPhone { get; init; } = "\"060786575\"";

    public string DriverLat { get; init; } = "40.4168";

    public string DriverLon { get; init; } = "3.7038";

    public bool OmitDriver { get; init; }

    public string Extra { get; init; } = "";

    public string Json =>
        "{" + (Confort is null ? "" : $"\"confort\":{Confort},") + $"\"prix_base_per_km\":{PrixBasePerKm}"
        + $",\"properties-client\":{{\"logitude\":{ClientLon},\"latitude\":{ClientLat},\"nomclient\":{ClientName ?? $"\"{Client}\""},\"telephoneClient\":{ClientPhone}}}"
        + (OmitDriver ? "" : $",\"properties-driver\":{{\"logitude\":{DriverLon},\"latitude\":{DriverLat},\"nomDriver\":\"DIOP\",\"telephoneDriver\":\"0760786575\"}}")
        + (Extra.Length > 0 ? "," + Extra : "") + "}";

    /// <summary>The record holding these elements: {"data":[...]}.</summary>
    public static string Record(params CourseRideText[] rides) => "{\"data\":[" + string.Join(',', rides.Select(r => r.Json)) + "]}";

    public ExpectedRide Expected(string comfort = "low") => new(
        null, Client, Number(DriverLat), Number(DriverLon), Number(ClientLat), Number(ClientLon), comfort, 0, 0, Number(PrixBasePerKm), 0, null);

    private static double Number(string text) => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
}
