namespace WeightShare.Engine.Search;

/// <summary>Settings for <see cref="MergeSearch.RunAsync"/>.</summary>
/// <param name="Tolerance">
/// How much the validation error may grow with one merge and still be kept. The method uses 0: a merge is kept only
/// when the error does not increase. A positive tolerance lets the error drift up by that much per accepted merge.
/// </param>
public sealed record MergeOptions(double Tolerance = 0);
