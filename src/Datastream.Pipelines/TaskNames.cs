namespace Datastream.Pipelines;

/// <summary>The task names of the original Airflow DAGs, kept visible in logs, metrics and the pipelines page.</summary>
public static class TaskNames
{
    public const string ConsumeKafka = "ConsumeKafka";
    public const string ComputeCostTravel = "ComputeCostTravel";
    public const string PublishKafka = "PublishKafka";
    public const string TransformJson = "TransformJSON";
    public const string PutElasticSearch = "PutElasticSearch";
    public const string PutGcp = "PutGCP";
}
