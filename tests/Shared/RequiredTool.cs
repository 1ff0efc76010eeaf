namespace Datastream.Testing;

/// <summary>
/// Finds an external program a test needs (chromium, promtool, prometheus). On a developer's machine without it the
/// test is skipped with the command that installs it; in CI (DATASTREAM_REQUIRE_TOOLS=1, set by .ci/run) a missing
/// program fails the test, so a CI run can never pass by skipping them.
/// </summary>
internal static class RequiredTool
{
    public static string Find(string name, string install, string? overrideVariable = null) => Find(name, install, overrideVariable,
        Environment.GetEnvironmentVariable("PATH"), Environment.GetEnvironmentVariable("DATASTREAM_REQUIRE_TOOLS"),
        overrideVariable is null ? null : Environment.GetEnvironmentVariable(overrideVariable));

    /// <summary>Where the program is (the override variable's path, else the first on PATH), or null; never skips.</summary>
    public static string? TryFind(string name, string? overrideVariable = null)
    {
        if (overrideVariable is not null && Environment.GetEnvironmentVariable(overrideVariable) is { Length: > 0 } configured)
        {
            return File.Exists(configured) ? configured : null;
        }

        return (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);
    }

    /// <summary>The same with the environment passed in, so the skip/fail rule itself can be tested.</summary>
    public static string Find(string name, string install, string? overrideVariable, string? path, string? requireTools, string? overridePath)
    {
        if (overridePath is { Length: > 0 })
        {
            return File.Exists(overridePath) ? overridePath : Missing($"{overrideVariable}={overridePath} does not exist");
        }

        foreach (string dir in (path ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
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
            if (requireTools == "1")
            {
                Assert.Fail($"{name} is required (DATASTREAM_REQUIRE_TOOLS=1): {message}");
            }

            Assert.Skip(message);
            return string.Empty;
        }
    }
}
