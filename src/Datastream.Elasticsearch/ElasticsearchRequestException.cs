namespace Datastream.Elasticsearch;

/// <summary>Elasticsearch refused a whole request (a 4xx other than 429): wrong credentials, a bad template, a bad query.</summary>
public sealed class ElasticsearchRequestException(string message) : InvalidOperationException(message);
