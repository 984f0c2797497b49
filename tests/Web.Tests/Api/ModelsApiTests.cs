using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using WeightShare.Web.Tests.Infrastructure;

namespace WeightShare.Web.Tests.Api;

/// <summary>api.md "Models": uploads, summaries, and every refusal leaving nothing behind.</summary>
public sealed class ModelsApiTests(WebAppFactory factory) : IClassFixture<WebAppFactory>
{
    // From SmallCnn in make_fixtures.py: conv1 16x1x3x3 + 16, bn1 16 + 16, conv2 32x16x3x3 + 32, bn2 32 + 32,
    // fc1 128x1568 + 128, fc2 10x128 + 10 (BatchNorm running statistics are buffers, not parameters).
    private const long CnnParameters = 144 + 16 + 16 + 16 + 4608 + 32 + 32 + 32 + 200_704 + 128 + 1280 + 10;
    private const long CnnSharedParameters = 144 + 4608 + 200_704 + 1280;
    // Twelve parameters and six BatchNorm buffers (running mean, running var, batch count for each of the two).
    private const int CnnTensors = 18;

    private readonly HttpClient _client = factory.CreateClient();

    [Fact]
    public async Task PostModel_TorchScriptCnn_Returns201WithEveryModelInfoField()
    {
        var bytes = Fixtures.Bytes(Fixtures.Cnn);
        var before = DateTime.UtcNow.AddSeconds(-1);

        using var response = await _client.PostFixtureAsync("/api/models", Fixtures.Cnn);

        var model = await response.JsonAsync(HttpStatusCode.Created);
        var id = model.GetProperty("id").GetString();
        Assert.False(string.IsNullOrWhiteSpace(id));
        Assert.Equal($"/api/models/{id}", response.Headers.Location?.OriginalString);
        Assert.Equal(Fixtures.Cnn, model.GetProperty("fileName").GetString());
        Assert.Equal("torchscript", model.GetProperty("format").GetString());
        Assert.Equal(849_177, bytes.Length);
        Assert.Equal(bytes.Length, model.GetProperty("sizeBytes").GetInt64());
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), model.GetProperty("sha256").GetString());
        Assert.Equal(CnnTensors, model.GetProperty("tensorCount").GetInt32());
        Assert.Equal(CnnParameters, model.GetProperty("parameterCount").GetInt64());
        Assert.Equal(CnnSharedParameters, model.GetProperty("sharedParameterCount").GetInt64());
        Assert.True(model.GetProperty("canEvaluate").GetBoolean());
        var createdAt = model.GetProperty("createdAt").GetDateTime().ToUniversalTime();
        Assert.InRange(createdAt, before, DateTime.UtcNow.AddSeconds(1));
    }

    [Fact]
    public async Task PostModel_StateDict_ReturnsPytorchThatCannotEvaluate()
    {
        using var response = await _client.PostFixtureAsync("/api/models", Fixtures.CnnStateDict);

        var model = await response.JsonAsync(HttpStatusCode.Created);
        Assert.Equal("pytorch", model.GetProperty("format").GetString());
        Assert.False(model.GetProperty("canEvaluate").GetBoolean());
        Assert.Equal(new FileInfo(Fixtures.PathOf(Fixtures.CnnStateDict)).Length, model.GetProperty("sizeBytes").GetInt64());
        Assert.Equal(CnnTensors, model.GetProperty("tensorCount").GetInt32());
        Assert.Equal(CnnParameters, model.GetProperty("parameterCount").GetInt64());
        Assert.Equal(CnnSharedParameters, model.GetProperty("sharedParameterCount").GetInt64());
    }

    [Fact]
    public async Task PostModel_Safetensors_ReturnsSafetensorsThatCannotEvaluate()
    {
        using var response = await _client.PostFixtureAsync("/api/models", Fixtures.CnnSafetensors);

        var model = await response.JsonAsync(HttpStatusCode.Created);
        Assert.Equal("safetensors", model.GetProperty("format").GetString());
        Assert.False(model.GetProperty("canEvaluate").GetBoolean());
        Assert.Equal(CnnTensors, model.GetProperty("tensorCount").GetInt32());
        Assert.Equal(CnnSharedParameters, model.GetProperty("sharedParameterCount").GetInt64());
    }

    [Fact]
    public async Task PostModel_Onnx_ReturnsOnnxThatCanEvaluate()
    {
        // The eval-mode export folds BatchNorm into the convs: eight initializers, no running statistics.
        using var response = await _client.PostFixtureAsync("/api/models", "fmnist_cnn.onnx");

        var model = await response.JsonAsync(HttpStatusCode.Created);
        Assert.Equal("onnx", model.GetProperty("format").GetString());
        Assert.True(model.GetProperty("canEvaluate").GetBoolean());
        Assert.Equal(8, model.GetProperty("tensorCount").GetInt32());
        Assert.Equal(CnnSharedParameters, model.GetProperty("sharedParameterCount").GetInt64());
    }

    [Fact]
    public async Task GetModel_UploadedId_ReturnsTheSameModelInfoAndTheListHoldsIt()
    {
        var id = await _client.UploadModelAsync(Fixtures.Mlp);

        var one = await _client.GetJsonAsync($"/api/models/{id}");
        var all = await _client.GetJsonAsync("/api/models");

        Assert.Equal(id, one.GetProperty("id").GetString());
        Assert.Equal(Fixtures.Mlp, one.GetProperty("fileName").GetString());
        Assert.Equal("torchscript", one.GetProperty("format").GetString());
        var listed = Assert.Single(all.EnumerateArray(), m => m.GetProperty("id").GetString() == id);
        Assert.Equal(one.ToString(), listed.ToString());
    }

    [Fact]
    public async Task GetModel_UnknownId_Returns404Problem()
    {
        using var response = await _client.GetAsync("/api/models/no-such-model");

        var detail = await response.ProblemAsync(HttpStatusCode.NotFound);
        Assert.Contains("no-such-model", detail);
    }

    [Fact]
    public async Task PostModel_TextFile_Returns415AndStoresNothing()
    {
        var before = await StoreSnapshot.TakeAsync(_client, factory);

        using var response = await _client.PostFileAsync("/api/models", "notes.txt", Encoding.UTF8.GetBytes("these are not weights\n"));

        await response.ProblemAsync(HttpStatusCode.UnsupportedMediaType);
        await before.AssertUnchangedAsync(_client, factory);
    }

    [Fact]
    public async Task PostModel_JsonInsteadOfMultipart_Returns415()
    {
        using var response = await _client.PostAsJsonAsync("/api/models", new { file = "fmnist_cnn.pt" });

        var detail = await response.ProblemAsync(HttpStatusCode.UnsupportedMediaType);
        Assert.Contains("multipart/form-data", detail);
    }

    [Fact]
    public async Task PostModel_HostilePickle_Returns400AndStoresNothing()
    {
        var before = await StoreSnapshot.TakeAsync(_client, factory);

        using var response = await _client.PostFixtureAsync("/api/models", Fixtures.Hostile);

        await response.ProblemAsync(HttpStatusCode.BadRequest);
        await before.AssertUnchangedAsync(_client, factory);
    }

    [Fact]
    public async Task PostModel_TruncatedCheckpoint_Returns400AndStoresNothing()
    {
        var bytes = Fixtures.Bytes(Fixtures.Cnn);
        var before = await StoreSnapshot.TakeAsync(_client, factory);

        using var response = await _client.PostFileAsync("/api/models", Fixtures.Cnn, bytes[..(bytes.Length / 2)]);

        await response.ProblemAsync(HttpStatusCode.BadRequest);
        await before.AssertUnchangedAsync(_client, factory);
    }

    [Fact]
    public async Task PostModel_FileInAnotherField_Returns400NamingTheField()
    {
        using var form = new MultipartFormDataContent { { new ByteArrayContent(Fixtures.Bytes(Fixtures.Cnn)), "model", Fixtures.Cnn } };

        using var response = await _client.PostAsync("/api/models", form);

        var detail = await response.ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("'file'", detail);
    }

    [Fact]
    public async Task PostModel_TwoFiles_Returns400AndStoresNothing()
    {
        var before = await StoreSnapshot.TakeAsync(_client, factory);
        using var form = ApiClient.Form([(Fixtures.Cnn, Fixtures.Bytes(Fixtures.Cnn)), (Fixtures.Mlp, Fixtures.Bytes(Fixtures.Mlp))]);

        using var response = await _client.PostAsync("/api/models", form);

        await response.ProblemAsync(HttpStatusCode.BadRequest);
        await before.AssertUnchangedAsync(_client, factory);
    }
}
