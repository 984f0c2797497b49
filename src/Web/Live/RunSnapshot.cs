using System.Collections.Immutable;
using WeightShare.Jobs.Events;
using WeightShare.Web.Api;

namespace WeightShare.Web.Live;

/// <summary>
/// Everything a run's page shows at one moment, as <see cref="RunView"/> last assembled it. Immutable: a page keeps the
/// latest one and renders it; the next change is a new snapshot.
/// </summary>
public sealed record RunSnapshot(
    RunInfo? Run,
    ModelInfo? Model,
    ImmutableList<GenerationInfo> Generations,
    IReadOnlyList<SolutionInfo> Solutions,
    ImmutableList<MergeStepCompleted> MergeSteps)
{
    /// <summary>Before the first read.</summary>
    public static RunSnapshot Empty { get; } = new(null, null, [], [], []);

    /// <summary>True once the first read found no such run.</summary>
    public bool NotFound { get; init; }

    /// <summary>The pipeline's latest line ("evaluating 3 of 8"), cleared when a step it spoke of is committed.</summary>
    public string? ProgressMessage { get; init; }

    /// <summary>The pipeline's latest fraction of the whole run, newer than the stored one between commits.</summary>
    public double? LiveProgress { get; init; }

    /// <summary>The pipeline's latest estimate of the seconds left, as of <see cref="RemainingAt"/>.</summary>
    public double? RemainingSeconds { get; init; }

    public DateTime RemainingAt { get; init; }

    /// <summary>Search evaluations per second, as the stored run gives them; null before the search has measured any.</summary>
    public double? Throughput => Run?.EvaluationsPerSecond;
}
