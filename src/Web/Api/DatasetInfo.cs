using WeightShare.Jobs.Data;

namespace WeightShare.Web.Api;

/// <summary>
/// Uploaded validation data (api.md DatasetInfo); the sample shape and the value range are after preprocessing (the
/// range is null for datasets stored before it was recorded).
/// </summary>
public sealed record DatasetInfo(string Id, string FileName, string Format, int Samples, int[] SampleShape, int Classes, float? ValueMin, float? ValueMax, DateTime CreatedAt)
{
    public static DatasetInfo Of(Dataset dataset) => new(
        dataset.Id, dataset.FileName, dataset.Format, dataset.Samples, dataset.SampleShape, dataset.Classes, dataset.ValueMin, dataset.ValueMax, dataset.CreatedAt);
}
