using System.Runtime.InteropServices;
using Datastream.Hosting;

namespace Datastream.Tests.Hosting;

public sealed class NativeHeapSettingsTests
{
    [Fact]
    public void Glibc_takes_the_settings_and_other_platforms_are_left_alone()
    {
        // The runtime identifier says which C library the runtime was built against: linux-musl-* has no glibc.
        bool glibc = OperatingSystem.IsLinux() && !RuntimeInformation.RuntimeIdentifier.Contains("musl", StringComparison.Ordinal);
        Assert.Equal(glibc, NativeHeapSettings.Apply());
    }
}
