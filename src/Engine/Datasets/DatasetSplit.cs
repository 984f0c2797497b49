namespace WeightShare.Engine.Datasets;

/// <summary>Indices of the validation samples (search and merge) and of the test samples (reported figures).</summary>
public sealed record DatasetSplit(int[] ValidationIndices, int[] TestIndices);
