namespace Datastream.Warehouse;

/// <summary>One row of the revenue report: a cluster id (1..k), a comfort level, the summed price_total and the ride count.</summary>
public sealed record RevenueRow(int ClusterId, string Comfort, double Revenue, long Count);
