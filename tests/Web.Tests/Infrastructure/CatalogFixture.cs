using System.Net;

namespace WeightShare.Web.Tests.Infrastructure;

/// <summary>A host with the uploads runs are made of: the fixture CNN, its state_dict, Fashion-MNIST and the CIFAR-shaped archive.</summary>
public sealed class CatalogFixture : IAsyncLifetime
{
    public WebAppFactory Factory { get; } = new();

    public HttpClient Client { get; private set; } = null!;

    public string CnnId { get; private set; } = "";

    public string StateDictId { get; private set; } = "";

    public string FashionMnistId { get; private set; } = "";

    public string CifarId { get; private set; } = "";

    public async Task InitializeAsync()
    {
        Client = Factory.CreateClient();
        CnnId = await Client.UploadModelAsync(Fixtures.Cnn);
        StateDictId = await Client.UploadModelAsync(Fixtures.CnnStateDict);
        FashionMnistId = await Client.UploadFashionMnistAsync();
        using var cifar = await Client.PostFixtureAsync("/api/datasets", Fixtures.Cifar);
        CifarId = (await cifar.JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetString()!;
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        await Factory.DisposeAsync();
    }
}
