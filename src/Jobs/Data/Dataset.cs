namespace WeightShare.Jobs.Data;

/// <summary>Uploaded validation data with its preprocessing (api.md DatasetInfo).</summary>
public sealed class Dataset
{
    public string Id { get; set; } = NewId.Next();

    public required string FileName { get; set; }

    /// <summary>idx, cifar, npz or safetensors.</summary>
    public required string Format { get; set; }

    public int Samples { get; set; }

    public int[] SampleShape { get; set; } = [];

    public int Classes { get; set; }

    /// <summary>The smallest feature after preprocessing; null for datasets stored before it was recorded.</summary>
    public float? ValueMin { get; set; }

    /// <summary>The largest feature after preprocessing; null for datasets stored before it was recorded.</summary>
    public float? ValueMax { get; set; }

    /// <summary>The preprocessing record as JSON; applied when a run loads the data.</summary>
    public required string PreprocessingJson { get; set; }

    public required string FileId { get; set; }

    public StoredFile? File { get; set; }

    /// <summary>The second file of formats that come in two (IDX labels or images).</summary>
    public string? SecondFileId { get; set; }

    public StoredFile? SecondFile { get; set; }

    public DateTime CreatedAt { get; set; } = DateTime.UtcNow;
}
