namespace WeightShare.LoadTest;

/// <summary>A ready solution whose .wsz and checkpoint the downloaders fetch; the .wsz must be <paramref name="CompressedBytes"/> long.</summary>
public sealed record SolutionFile(string Id, long CompressedBytes);
