namespace WeightShare.Web.Hubs;

/// <summary>The hub's Status message: the status by name, as in RunInfo.</summary>
public sealed record RunStatusMessage(string RunId, string Status, string? Error);
