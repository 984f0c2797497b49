namespace WeightShare.Jobs.Data;

/// <summary>A file in the content-addressed store: uploads, compressed files and checkpoints.</summary>
public sealed class StoredFile
{
    public string Id { get; set; } = NewId.Next();

    /// <summary>Lower-case hex SHA-256 of the content; also the file's name in the store.</summary>
    public required string Sha256 { get; set; }

    public long SizeBytes { get; set; }

    /// <summary>The name the file was uploaded or downloaded under.</summary>
    public required string FileName { get; set; }

    public DateTime CreatedAt { get; set; } = DateTime.UtcNow;
}
