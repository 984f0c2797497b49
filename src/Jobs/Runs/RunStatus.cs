namespace WeightShare.Jobs.Runs;

/// <summary>Where a run stands (api.md); <see cref="RunStatuses.IsFinal"/> says which statuses are final.</summary>
public enum RunStatus
{
    Queued,
    Running,
    Succeeded,
    Failed,
    Canceled,
}
