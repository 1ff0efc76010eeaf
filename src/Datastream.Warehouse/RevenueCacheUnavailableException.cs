namespace Datastream.Warehouse;

/// <summary>The revenue cache's file can be neither opened nor created (a read-only data directory, a full disk).</summary>
public sealed class RevenueCacheUnavailableException(string message, Exception innerException) : Exception(message, innerException);
