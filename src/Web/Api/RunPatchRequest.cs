namespace WeightShare.Web.Api;

/// <summary>The body of PATCH /api/runs/{id}: what of a run may change after it starts.</summary>
/// <param name="Notes">The run's new notes; null or blank clears them.</param>
public sealed record RunPatchRequest(string? Notes);
