namespace WeightShare.Jobs.Runs;

/// <summary>The one definition of which run statuses are final: a run in one of them never changes again.</summary>
public static class RunStatuses
{
    /// <summary>Succeeded, Failed and Canceled.</summary>
    public static IReadOnlyList<RunStatus> Final { get; } = [RunStatus.Succeeded, RunStatus.Failed, RunStatus.Canceled];

    /// <summary>Queued and Running: a job still has work to do.</summary>
    public static IReadOnlyList<RunStatus> Unfinished { get; } = Enum.GetValues<RunStatus>().Except(Final).ToArray();

    /// <summary>True for a status the run cannot leave.</summary>
    public static bool IsFinal(this RunStatus status) => Final.Contains(status);
}
