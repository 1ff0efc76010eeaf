using Datastream.Cli;
using Datastream.Web;

namespace Datastream.Tests.Web;

public sealed class AdminAccessTests
{
    [Theory]
    [InlineData("http://127.0.0.1:8080", true)]
    [InlineData("http://localhost:5000", true)]
    [InlineData("http://[::1]:8080", true)]
    [InlineData("http://127.0.0.2:8080", true)]
    [InlineData("http://0.0.0.0:8080", false)]
    [InlineData("http://*:8080", false)]
    [InlineData("http://+:8080", false)]
    [InlineData("http://[::]:8080", false)]
    [InlineData("http://192.168.1.10:8080", false)]
    [InlineData("http://datastream.internal:8080", false)]
    public void KnowsWhatStaysOnLoopback(string url, bool loopback) => Assert.Equal(loopback, AdminAccess.IsLoopback(url));

    [Fact]
    public void OnLoopback_NoTokenIsNeeded()
    {
        var access = AdminAccess.For(["http://127.0.0.1:8080"], new Dictionary<string, string?>());

        Assert.False(access.TokenRequired);
        Assert.True(access.Allows(null));
    }

    [Fact]
    public void BeyondLoopback_WithoutAToken_IsAUsageError()
    {
        var error = Assert.Throws<UsageException>(() => AdminAccess.For(["http://127.0.0.1:8080", "http://0.0.0.0:8081"], new Dictionary<string, string?>()));

        Assert.Contains("listens beyond loopback: set DATASTREAM_ADMIN_TOKEN or DATASTREAM_ADMIN_TOKEN_FILE", error.Message);
    }

    [Fact]
    public void BeyondLoopback_OnlyTheExactTokenIsAllowed()
    {
        var access = AdminAccess.For(["http://0.0.0.0:8080"], new Dictionary<string, string?> { ["DATASTREAM_ADMIN_TOKEN"] = "abc123" });

        Assert.True(access.TokenRequired);
        Assert.True(access.Allows("abc123"));
        Assert.False(access.Allows("abc12"));
        Assert.False(access.Allows("abc1234"));
        Assert.False(access.Allows(""));
        Assert.False(access.Allows(null));
    }

    [Fact]
    public void TheTokenFile_IsReadAndTrimmed_AndMustExistAndHoldSomething()
    {
        using var dir = new TemporaryDirectory();
        string file = dir.File("token");
        File.WriteAllText(file, "  from-a-file\n");

        var access = AdminAccess.For(["http://0.0.0.0:8080"], new Dictionary<string, string?> { ["DATASTREAM_ADMIN_TOKEN_FILE"] = file });
        Assert.True(access.Allows("from-a-file"));

        var missing = Assert.Throws<UsageException>(() => AdminAccess.For(["http://0.0.0.0:8080"], new Dictionary<string, string?> { ["DATASTREAM_ADMIN_TOKEN_FILE"] = file + ".nope" }));
        Assert.Contains("does not exist", missing.Message);
        File.WriteAllText(file, "\n");
        var empty = Assert.Throws<UsageException>(() => AdminAccess.For(["http://0.0.0.0:8080"], new Dictionary<string, string?> { ["DATASTREAM_ADMIN_TOKEN_FILE"] = file }));
        Assert.Contains("is empty", empty.Message);
    }

    [Fact]
    public void AMalformedUrl_IsAUsageError() =>
        Assert.Contains("is not a URL", Assert.Throws<UsageException>(() => AdminAccess.IsLoopback("127.0.0.1:8080")).Message);
}
