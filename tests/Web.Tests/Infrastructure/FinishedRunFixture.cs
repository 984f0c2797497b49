using System.Text.Json;

namespace WeightShare.Web.Tests.Infrastructure;

/// <summary>
/// One host with one tiny run on the fixture CNN that has reached Succeeded, shared by the classes that read a
/// finished run (a run takes seconds; the machine is small).
/// </summary>
public sealed class FinishedRunFixture : IAsyncLifetime
{
    public WebAppFactory Factory { get; } = new();

    public HttpClient Client { get; private set; } = null!;

    public string ModelId { get; private set; } = "";

    public string DatasetId { get; private set; } = "";

    public string RunId { get; private set; } = "";

    public JsonElement Run { get; private set; }

    public async Task InitializeAsync()
    {
        Client = Factory.CreateClient();
        ModelId = await Client.UploadModelAsync(Fixtures.Cnn);
        DatasetId = await Client.UploadFashionMnistAsync();
        RunId = await Client.StartRunAsync(ApiClient.TinyRun(ModelId, DatasetId));
        Run = await Client.WaitForStatusAsync(RunId, "Succeeded", TimeSpan.FromMinutes(3));
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        await Factory.DisposeAsync();
    }
}
