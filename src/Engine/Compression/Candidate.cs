using WeightShare.Engine.Evaluation;

namespace WeightShare.Engine.Compression;

/// <summary>One evaluated point of the search: k uniform bins, the values they leave, and the validation figures.</summary>
public sealed record Candidate(int K, int SharedValues, EvaluationResult Validation);
