namespace WeightShare.Jobs.Runs;

/// <summary>
/// Another job committed the same generation or solution first (a duplicate enqueue): this one steps aside and
/// leaves the run to it instead of marking it failed.
/// </summary>
internal sealed class RunTakenOverException(string runId, Exception inner)
    : Exception($"Another job is already working on run {runId}.", inner);
