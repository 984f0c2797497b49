namespace WeightShare.Jobs.Data;

/// <summary>An uploaded checkpoint with the figures the upload page shows (api.md ModelInfo).</summary>
public sealed class Model
{
    public string Id { get; set; } = NewId.Next();

    public required string FileName { get; set; }

    /// <summary>torchscript, pytorch or safetensors.</summary>
    public required string Format { get; set; }

    public long SizeBytes { get; set; }

    public required string Sha256 { get; set; }

    public int TensorCount { get; set; }

    public long ParameterCount { get; set; }

    public long SharedParameterCount { get; set; }

    public bool CanEvaluate { get; set; }

    public required string FileId { get; set; }

    public StoredFile? File { get; set; }

    public DateTime CreatedAt { get; set; } = DateTime.UtcNow;
}
