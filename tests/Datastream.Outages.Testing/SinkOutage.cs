namespace Datastream.Outages.Testing;

/// <summary>
/// One real failure of a sink, begun and ended by the test (a server answering 503, stopped, a directory replaced by a
/// file, a lock held). While it lasts, index-and-export must report <c>retrying</c> with a reason that contains
/// <paramref name="Reason"/>.
/// </summary>
/// <param name="Name">What fails, for messages: "Elasticsearch answers 503".</param>
/// <param name="Reason">A part of the pipeline's last_error that names the failing sink and why.</param>
public sealed record SinkOutage(string Name, string Reason, Func<Task> BeginAsync, Func<Task> EndAsync);
