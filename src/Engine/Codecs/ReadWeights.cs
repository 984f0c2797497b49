namespace WeightShare.Engine.Codecs;

/// <summary>Rebuilds the shared weights at positions <paramref name="start"/> .. start + values.Length - 1, in segment order.</summary>
public delegate void ReadWeights(long start, Span<float> values);
