using WeightShare.Engine.Evaluation;

namespace WeightShare.Engine.Compression;

/// <summary>The uploaded model's own figures, which every solution is compared with.</summary>
public sealed record BaselineFigures(EvaluationResult Validation, EvaluationResult Test, long SizeBytes);
