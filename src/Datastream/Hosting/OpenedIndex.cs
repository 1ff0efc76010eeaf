using Datastream.Pipelines.Index;
using Datastream.Pipelines.Search;

namespace Datastream.Hosting;

/// <summary>
/// One index engine seen through its two ports: index-and-export writes to it, the web app searches it. Both views are
/// the same object, disposed once.
/// </summary>
public sealed class OpenedIndex(IRideIndexWriter writer, IRideSearch search) : IAsyncDisposable
{
    public IRideIndexWriter Writer { get; } = writer;

    public IRideSearch Search { get; } = search;

    public string Engine => Writer.Engine;

    public ValueTask DisposeAsync() => Writer.DisposeAsync();

    /// <summary>An engine that implements both ports.</summary>
    public static OpenedIndex Of<TIndex>(TIndex index)
        where TIndex : IRideIndexWriter, IRideSearch => new(index, index);
}
