namespace WeightShare.Jobs.Storage;

/// <summary>
/// Complete content waiting in the store's temporary folder under a name of its own. Disposing it before
/// <see cref="FileStore.Commit"/> deletes it, so an abandoned upload leaves nothing behind.
/// </summary>
public sealed class StagedFile : IDisposable
{
    internal StagedFile(string path, string sha256, long length)
    {
        Path = path;
        Sha256 = sha256;
        Length = length;
    }

    /// <summary>Where the content is until it is committed; readers may open it to inspect the upload.</summary>
    public string Path { get; }

    /// <summary>Lower-case hex SHA-256 of the content.</summary>
    public string Sha256 { get; }

    public long Length { get; }

    public void Dispose()
    {
        if (File.Exists(Path))
        {
            File.Delete(Path);
        }
    }
}
