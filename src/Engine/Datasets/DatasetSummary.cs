namespace WeightShare.Engine.Datasets;

/// <summary>The headline facts of an uploaded dataset.</summary>
public sealed record DatasetSummary(DatasetFormat Format, int Samples, int[] SampleShape, int Classes)
{
    /// <summary>The summary of <paramref name="dataset"/>.</summary>
    public static DatasetSummary Of(RawDataset dataset) => new(dataset.Format, dataset.Count, dataset.SampleShape, dataset.Classes);
}
