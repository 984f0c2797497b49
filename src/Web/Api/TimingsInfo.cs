namespace WeightShare.Web.Api;

/// <summary>Wall time of each phase of a run, in seconds.</summary>
public sealed record TimingsInfo(double BaselineSeconds, double SearchSeconds, double RefineSeconds, double FinishSeconds);
