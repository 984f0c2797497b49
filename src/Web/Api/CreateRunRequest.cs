using WeightShare.Engine.Compression;

namespace WeightShare.Web.Api;

/// <summary>
/// The body of POST /api/runs: the run's settings (<see cref="RunSettings"/>, every field optional) and the model,
/// dataset and notes they apply to.
/// </summary>
public sealed record CreateRunRequest : RunSettings
{
    /// <summary>The uploaded model's id (required).</summary>
    public string? ModelId { get; init; }

    /// <summary>The uploaded dataset's id; none makes the run data-free (metric weightSnr).</summary>
    public string? DatasetId { get; init; }

    /// <summary>Free text shown with the run in the runs list (at most 2,000 characters).</summary>
    public string? Notes { get; init; }
}
