using System.Net;
using Microsoft.AspNetCore.Http;
using WeightShare.Web.Tests.Infrastructure;

namespace WeightShare.Web.Tests.Api;

/// <summary>
/// A host with WeightShare:MaxUploadBytes = 64 KiB and WeightShare:DashboardRemoteAccess on: uploads over the cap are
/// 413 and leave nothing behind; the dashboard opens to other machines.
/// </summary>
public sealed class ConfiguredHostTests(LimitedAppFactory factory) : IClassFixture<LimitedAppFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    [Fact]
    public async Task PostModel_OverTheLimit_Returns413AndStoresNothing()
    {
        var before = await StoreSnapshot.TakeAsync(_client, factory);

        using var response = await _client.PostFixtureAsync("/api/models", Fixtures.Cnn);

        var detail = await response.ProblemAsync(HttpStatusCode.RequestEntityTooLarge);
        Assert.Contains("MaxUploadBytes", detail);
        await before.AssertUnchangedAsync(_client, factory);
    }

    [Fact]
    public async Task PostModel_OverTheLimitWithoutContentLength_Returns413AndStoresNothing()
    {
        var before = await StoreSnapshot.TakeAsync(_client, factory);
        using var form = ApiClient.Form([(Fixtures.Cnn, Fixtures.Bytes(Fixtures.Cnn))]);

        // Streamed without a length, the body is only found too large while the form is read.
        using var response = await _client.PostAsync("/api/models", new UnknownLengthContent(form));

        await response.ProblemAsync(HttpStatusCode.RequestEntityTooLarge);
        await before.AssertUnchangedAsync(_client, factory);
    }

    [Fact]
    public async Task PostDataset_OverTheLimit_Returns413AndStoresNothing()
    {
        var before = await StoreSnapshot.TakeAsync(_client, factory);

        using var response = await _client.PostFashionMnistAsync();

        await response.ProblemAsync(HttpStatusCode.RequestEntityTooLarge);
        await before.AssertUnchangedAsync(_client, factory);
    }

    [Fact]
    public async Task PostDecompress_OverTheLimit_Returns413()
    {
        using var response = await _client.PostFileAsync("/api/decompress", "big.wsz", new byte[LimitedAppFactory.MaxUploadBytes + 1]);

        await response.ProblemAsync(HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task PostModel_UnderTheLimit_IsStored()
    {
        using var response = await _client.PostFixtureAsync("/api/models", "shared_script.pt");

        var model = await response.JsonAsync(HttpStatusCode.Created);
        Assert.Equal("torchscript", model.GetProperty("format").GetString());
        Assert.True(model.GetProperty("sizeBytes").GetInt64() < LimitedAppFactory.MaxUploadBytes);
    }

    [Fact]
    public async Task GetHangfire_RemoteAccessConfigured_ShowsTheDashboardToAnotherMachine()
    {
        var context = await factory.Server.SendAsync(c =>
        {
            c.Request.Method = "GET";
            c.Request.Path = "/hangfire";
            c.Connection.RemoteIpAddress = IPAddress.Parse("203.0.113.7");
            c.Connection.LocalIpAddress = IPAddress.Parse("192.0.2.1");
        });

        Assert.Equal(StatusCodes.Status200OK, context.Response.StatusCode);
    }
}
