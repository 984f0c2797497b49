namespace WeightShare.Engine.Compression;

/// <summary>The refinement settings of a run (the paper codec's iterative merge): whether front points are refined, and how much validation accuracy a step may cost.</summary>
public sealed record MergeSettings(bool Enabled = true, double Tolerance = 0.0);
