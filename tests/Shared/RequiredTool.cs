namespace Datastream.Testing;

/// <summary>
/// Finds an external program a test needs (chromium, promtool, prometheus). On a developer's machine without it the
/// test is skipped with the command that installs it; in CI (DATASTREAM_REQUIRE_TOOLS=1, set by .ci/run) a missing
/// program fails the test, so a CI run can never pass by skipping them.
/// </summary>
internal static class RequiredTool
{
    public static string Find(string name, string install, string? overrideVariable = null)
    {
        if (overrideVariable is not null && Environment.GetEnvironmentVariable(overrideVariable) is { Length: > 0 } configured)
        {
            return File.Exists(configured) ? configured : Missing($"{overrideVariable}={configured} does not exist");
        }

        foreach (string dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            string candidate = Path.Combine(dir, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return Missing($"{name} is not on PATH");

        string Missing(string why)
        {
            string message = $"{why}: {install}" + (overrideVariable is null ? "" : $", or set {overrideVariable} to its path");
            if (Environment.GetEnvironmentVariable("DATASTREAM_REQUIRE_TOOLS") == "1")
            {
                Assert.Fail($"{message} (required: DATASTREAM_REQUIRE_TOOLS=1)");
            }

            Assert.Skip(message);
            return string.Empty;
        }
    }
}
