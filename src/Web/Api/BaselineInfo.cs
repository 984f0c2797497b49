namespace WeightShare.Web.Api;

/// <summary>The uploaded model's own figures; null until the baseline phase has run.</summary>
public sealed record BaselineInfo(double? ValidationAccuracy, double? TestAccuracy, long? SizeBytes);
