namespace WeightShare.Web.Hubs;

/// <summary>The hub's Progress message (an addition to api.md): phase by name, 0..1 overall, and a readable line.</summary>
public sealed record RunProgressMessage(string RunId, string Phase, double Fraction, string Message, double? RemainingSeconds = null);
