namespace Datastream.Hosting;

/// <summary>How far below normal <see cref="LoweredPriorityThread"/> runs its work.</summary>
internal enum CpuPriority
{
    /// <summary>Nice 10 on Linux, <see cref="ThreadPriority.BelowNormal"/> on Windows: yields to normal-priority threads.</summary>
    BelowNormal,

    /// <summary>Nice 19 on Linux, <see cref="ThreadPriority.Lowest"/> on Windows: runs only when nothing else wants the CPU.</summary>
    Lowest,
}
