
namespace WeightShare.Web.Tests.Infrastructure;

/// <summary>What a refused upload must leave untouched: the listed rows and the stored files, with the temp folder empty.</summary>
public sealed record StoreSnapshot(int Models, int Datasets, IReadOnlyList<string> StoredFiles, IReadOnlyList<string> TemporaryFiles)
{
    public static async Task<StoreSnapshot> TakeAsync(HttpClient client, WebAppFactory factory)
    {
        var models = await client.GetJsonAsync("/api/models");
        var datasets = await client.GetJsonAsync("/api/datasets");
        var temporary = Path.Combine(factory.FilesDirectory, "tmp");
        return new StoreSnapshot(
            models.GetArrayLength(),
            datasets.GetArrayLength(),
            Directory.GetFiles(factory.FilesDirectory).Select(Path.GetFileName).OfType<string>().Order().ToArray(),
            Directory.Exists(temporary) ? Directory.GetFileSystemEntries(temporary) : []);
    }

    /// <summary>Asserts that nothing was stored since this snapshot and nothing was left half-written.</summary>
    public async Task AssertUnchangedAsync(HttpClient client, WebAppFactory factory)
    {
        var after = await TakeAsync(client, factory);
        Assert.Equal(Models, after.Models);
        Assert.Equal(Datasets, after.Datasets);
        Assert.Equal(StoredFiles, after.StoredFiles);
        Assert.Empty(after.TemporaryFiles);
    }

}
