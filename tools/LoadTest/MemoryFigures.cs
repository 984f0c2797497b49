namespace WeightShare.LoadTest;

/// <summary>
/// The server process's resident memory in bytes: idle after start-up and the fixtures' upload, idle again after the
/// two runs alone (right before the load), the largest VmRSS sampled every 250 ms during the load, VmRSS a few seconds
/// after it, and VmHWM, the process's peak over its whole life.
/// </summary>
public sealed record MemoryFigures(long IdleAfterStart, long IdleBeforeLoad, long PeakDuringLoad, long AfterLoad, long HighWaterMark);
