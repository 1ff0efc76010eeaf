namespace Datastream.Web.Components.Shared;

/// <summary>One colour per cluster id, shared by the map and the revenue panel so a cluster reads the same everywhere.</summary>
public static class ClusterColors
{
    // Distinct on white and for the common colour-vision deficiencies (Okabe–Ito, then a few darker extras).
    private static readonly string[] Palette =
        ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000", "#8C564B", "#7F7F7F", "#17BECF", "#BCBD22"];

    /// <summary>The colour of cluster <paramref name="clusterId"/> (ids start at 1).</summary>
    public static string Of(int clusterId) => Palette[(Math.Max(clusterId, 1) - 1) % Palette.Length];
}
