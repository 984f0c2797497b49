using WeightShare.Jobs.Data;

namespace WeightShare.Web.Api;

/// <summary>Uploaded validation data (api.md DatasetInfo); the sample shape is after preprocessing.</summary>
public sealed record DatasetInfo(string Id, string FileName, string Format, int Samples, int[] SampleShape, int Classes, DateTime CreatedAt)
{
    public static DatasetInfo Of(Dataset dataset) => new(
        dataset.Id, dataset.FileName, dataset.Format, dataset.Samples, dataset.SampleShape, dataset.Classes, dataset.CreatedAt);
}
