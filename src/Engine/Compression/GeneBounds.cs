namespace WeightShare.Engine.Compression;

/// <summary>The range a run lets the search vary one of its codec's genes in, within the codec's own.</summary>
/// <param name="Min">Smallest value, inclusive.</param>
/// <param name="Max">Largest value, inclusive.</param>
public sealed record GeneBounds(int Min, int Max);
