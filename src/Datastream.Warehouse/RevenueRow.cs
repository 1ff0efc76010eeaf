namespace Datastream.Warehouse;

/// <summary>
/// One row of the revenue report: a cluster id (1..k), a comfort level, the summed price_total and the ride count.
/// Money is a decimal of cents, summed exactly by the warehouse (SPEC §4: no float noise), so every output of it
/// (text, CSV, JSON) shows at most two decimals.
/// </summary>
public sealed record RevenueRow(int ClusterId, string Comfort, decimal Revenue, long Count);
