namespace WeightShare.Engine.Codecs;

/// <summary>One integer of a codec's search space: NSGA-II varies it between <paramref name="Min"/> and <paramref name="Max"/>.</summary>
/// <param name="Name">The name solutions report it under, for example <c>k</c>.</param>
/// <param name="Min">Smallest value, inclusive.</param>
/// <param name="Max">Largest value, inclusive.</param>
/// <param name="Description">What it controls, in words for the settings page.</param>
public sealed record Gene(string Name, int Min, int Max, string Description);
