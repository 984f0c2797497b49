namespace WeightShare.Jobs.Runs;

/// <summary>Where a run stands (api.md); the last three are final.</summary>
public enum RunStatus
{
    Queued,
    Running,
    Merging,
    Succeeded,
    Failed,
    Canceled,
}
