namespace WeightShare.Web.Api;

/// <summary>The body of PATCH /api/runs/{id}: what of a run may change after it starts.</summary>
/// <param name="Notes">The run's new notes; null or blank clears them. Required, so that an empty body clears nothing.</param>
public sealed record RunPatchRequest([property: System.Text.Json.Serialization.JsonRequired] string? Notes);
