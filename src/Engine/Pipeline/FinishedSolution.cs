using WeightShare.Engine.Compression;

namespace WeightShare.Engine.Pipeline;

/// <summary>A solution measured on both splits with its files written.</summary>
/// <param name="Solution">The planned solution it was built from.</param>
/// <param name="Figures">What it achieves.</param>
/// <param name="Files">Where its files are (scratch paths the store takes over) and their names.</param>
public sealed record FinishedSolution(PlannedSolution Solution, SolutionFigures Figures, SolutionFiles Files);
