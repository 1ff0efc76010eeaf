namespace Datastream.Elasticsearch;

/// <summary>
/// The composable index template of SPEC §3.6, embedded from deploy/elasticsearch/rides-template.json: the one copy,
/// also used by the Kibana checks, so the adapter can never install a mapping that differs from the documented one.
/// </summary>
internal static class RidesIndexTemplate
{
    private const string ResourceName = "Datastream.Elasticsearch.rides-template.json";

    public static readonly byte[] Body = Load();

    private static byte[] Load()
    {
        using var stream = typeof(RidesIndexTemplate).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"resource {ResourceName} is missing from the build");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
