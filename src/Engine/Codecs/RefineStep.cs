namespace WeightShare.Engine.Codecs;

/// <summary>An accepted step of a refinement (the paper codec: one merge of neighbouring bins).</summary>
/// <param name="SharedValues">Shared values after the step.</param>
/// <param name="ValidationMetric">The run's validation metric after the step.</param>
/// <param name="Evaluations">Validation passes the refinement has run so far.</param>
public sealed record RefineStep(int SharedValues, double ValidationMetric, int Evaluations);
