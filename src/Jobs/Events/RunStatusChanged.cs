using WeightShare.Jobs.Runs;

namespace WeightShare.Jobs.Events;

/// <summary>A run's status committed to the database (api.md hub message "Status").</summary>
public sealed record RunStatusChanged(string RunId, RunStatus Status, string? Error);
