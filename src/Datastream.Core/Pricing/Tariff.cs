namespace Datastream.Core.Pricing;

/// <summary>The price components of one comfort level (SPEC §3.3).</summary>
public readonly record struct Tariff(double Base, double PerKm, double PerMin);
