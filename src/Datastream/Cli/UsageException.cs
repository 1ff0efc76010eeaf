namespace Datastream.Cli;

/// <summary>A user error (bad option, bad configuration, missing file, unknown topic): exit code 2 and one line.</summary>
public sealed class UsageException(string message) : Exception(message);
