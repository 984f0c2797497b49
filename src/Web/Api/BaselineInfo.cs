namespace WeightShare.Web.Api;

/// <summary>The uploaded model's own figures; null until the baseline phase has run. The macro-F1 figures are additions.</summary>
public sealed record BaselineInfo(double? ValidationAccuracy, double? TestAccuracy, long? SizeBytes)
{
    public double? ValidationMacroF1 { get; init; }

    public double? TestMacroF1 { get; init; }
}
