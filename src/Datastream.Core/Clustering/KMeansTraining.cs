namespace Datastream.Core.Clustering;

/// <summary>How a model was trained and how good it is, with BigQuery ML's ML.EVALUATE metrics.</summary>
public sealed record KMeansTraining(
    int K,
    int Iterations,
    int Restarts,
    double MeanSquaredDistance,
    double DaviesBouldinIndex,
    long Points,
    string Reference,
    DateTime TrainedAtUtc);
