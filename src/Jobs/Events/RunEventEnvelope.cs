namespace WeightShare.Jobs.Events;

/// <summary>
/// One run event as it crosses processes in a PostgreSQL notification: its kind, the run, and the event itself (a
/// generation by its number only: the listener reads the committed row).
/// </summary>
/// <param name="Kind">One of the *Kind constants.</param>
/// <param name="RunId">The run the event is about.</param>
public sealed record RunEventEnvelope(string Kind, string RunId)
{
    /// <summary>The PostgreSQL channel every process notifies and every web process listens on.</summary>
    public const string Channel = "weightshare_run_events";

    public const string GenerationKind = "generation";

    public const string StatusKind = "status";

    public const string MergeKind = "merge";

    public const string ProgressKind = "progress";

    public int? Generation { get; init; }

    public RunStatusChanged? Status { get; init; }

    public MergeStepCompleted? Merge { get; init; }

    public RunProgress? Progress { get; init; }
}
