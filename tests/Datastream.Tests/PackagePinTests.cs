using System.Xml.Linq;

namespace Datastream.Tests;

/// <summary>Directory.Packages.props pins only packages some project references: an unused pin is a dependency nobody reviews.</summary>
public sealed class PackagePinTests
{
    [Fact]
    public void EveryPinnedPackage_IsReferencedByAProject()
    {
        var pinned = XDocument.Load(RepositoryFiles.PathOf("Directory.Packages.props")).Descendants("PackageVersion")
            .Select(p => (string)p.Attribute("Include")!).ToList();
        var referenced = Directory.EnumerateFiles(RepositoryFiles.Root, "*.csproj", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(f => XDocument.Load(f).Descendants("PackageReference").Select(r => (string?)r.Attribute("Include")))
            .OfType<string>()
            .ToHashSet(StringComparer.OrdinalIgnoreCase);

        var unused = pinned.Where(p => !referenced.Contains(p)).Order().ToList();
        Assert.True(unused.Count == 0, "pinned but referenced by no project: " + string.Join(", ", unused));
    }
}
