namespace WeightShare.Jobs.Events;

/// <summary>An accepted merge for one front solution (api.md hub message "Merge").</summary>
public sealed record MergeStepCompleted(string RunId, int SolutionK, int SharedValues, double ValidationAccuracy);
