using WeightShare.Jobs.Data;

namespace WeightShare.Web.Api;

/// <summary>
/// Uploaded validation data (api.md DatasetInfo); the sample shape and the value range are after preprocessing (the
/// range is null for datasets stored before it was recorded).
/// </summary>
public sealed record DatasetInfo(string Id, string FileName, string Format, int Samples, int[] SampleShape, int Classes, float? ValueMin, float? ValueMax, DateTime CreatedAt)
{
    /// <summary>
    /// False for inputs without labels (x alone; <see cref="Classes"/> is 0): only the metrics measured against the
    /// uploaded model, agreement and outputFidelity, can run on it.
    /// </summary>
    public bool Labelled => Classes > 0;

    public static DatasetInfo Of(Dataset dataset) => new(
        dataset.Id, dataset.FileName, dataset.Format, dataset.Samples, dataset.SampleShape, dataset.Classes, dataset.ValueMin, dataset.ValueMax, dataset.CreatedAt);
}
