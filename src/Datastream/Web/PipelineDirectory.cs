namespace Datastream.Web;

/// <summary>The pipelines this process runs, by name: what /api/pipelines, pause/resume and /readyz look at.</summary>
public sealed class PipelineDirectory(IReadOnlyList<PipelineView> pipelines)
{
    public IReadOnlyList<PipelineView> All => pipelines;

    public PipelineView? Find(string name) => pipelines.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));
}
