namespace WeightShare.Jobs.Tests;

/// <summary>A data directory of its own for one test, removed afterwards.</summary>
internal sealed class TempDirectory : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("wsw-jobs-").FullName;

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open by a finalising connection is left for the OS to clean; the test is over.
        }
    }
}
