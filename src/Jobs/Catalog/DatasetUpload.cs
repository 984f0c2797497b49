namespace WeightShare.Jobs.Catalog;

/// <summary>One uploaded file of a dataset; IDX data comes as two.</summary>
public sealed record DatasetUpload(Stream Content, string FileName);
