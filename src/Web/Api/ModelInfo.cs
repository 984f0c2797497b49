using WeightShare.Jobs.Data;

namespace WeightShare.Web.Api;

/// <summary>An uploaded checkpoint (api.md ModelInfo).</summary>
public sealed record ModelInfo(
    string Id,
    string FileName,
    string Format,
    long SizeBytes,
    string Sha256,
    int TensorCount,
    long ParameterCount,
    long SharedParameterCount,
    bool CanEvaluate,
    DateTime CreatedAt)
{
    public static ModelInfo Of(Model model) => new(
        model.Id, model.FileName, model.Format, model.SizeBytes, model.Sha256, model.TensorCount,
        model.ParameterCount, model.SharedParameterCount, model.CanEvaluate, model.CreatedAt);
}
