using System.Net;
using System.Text;
using System.Text.Json;
using WeightShare.Tests.Support;
using WeightShare.Web.Tests.Infrastructure;

namespace WeightShare.Web.Tests.Api;

/// <summary>api.md "Datasets": each format, the preprocessing field, and refusals that store nothing.</summary>
public sealed class DatasetsApiTests(WebAppFactory factory) : IClassFixture<WebAppFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    [Fact]
    public async Task PostDataset_IdxPairWithPreprocessing_Returns201WithShapeAndClasses()
    {
        using var response = await _client.PostFashionMnistAsync();

        var dataset = await response.JsonAsync(HttpStatusCode.Created);
        var id = dataset.GetProperty("id").GetString();
        Assert.False(string.IsNullOrWhiteSpace(id));
        Assert.Equal($"/api/datasets/{id}", response.Headers.Location?.OriginalString);
        Assert.Equal("idx", dataset.GetProperty("format").GetString());
        Assert.Equal(2000, dataset.GetProperty("samples").GetInt32());
        Assert.Equal(10, dataset.GetProperty("classes").GetInt32());
        Assert.Equal([1, 28, 28], Shape(dataset));
        Assert.Contains(Fixtures.Images, dataset.GetProperty("fileName").GetString());
        Assert.Contains(Fixtures.Labels, dataset.GetProperty("fileName").GetString());
        Assert.True(dataset.TryGetProperty("createdAt", out _));
    }

    [Fact]
    public async Task PostDataset_IdxPairWithThreeChannels_ReplicatesTheGreyChannel()
    {
        using var response = await _client.PostFashionMnistAsync("""{"scale":0.00392156862745098,"mean":[0.286],"std":[0.353],"channels":3}""");

        var dataset = await response.JsonAsync(HttpStatusCode.Created);
        Assert.Equal([3, 28, 28], Shape(dataset));
    }

    [Fact]
    public async Task PostDataset_Npz_Returns201()
    {
        using var response = await _client.PostFixtureAsync("/api/datasets", Fixtures.Npz);

        var dataset = await response.JsonAsync(HttpStatusCode.Created);
        Assert.Equal("npz", dataset.GetProperty("format").GetString());
        Assert.Equal(2000, dataset.GetProperty("samples").GetInt32());
        Assert.Equal(10, dataset.GetProperty("classes").GetInt32());
        Assert.Equal(28 * 28, Shape(dataset).Aggregate(1, (a, b) => a * b));
    }

    [Fact]
    public async Task PostDataset_Safetensors_Returns201()
    {
        using var response = await _client.PostFixtureAsync("/api/datasets", "eval.safetensors");

        var dataset = await response.JsonAsync(HttpStatusCode.Created);
        Assert.Equal("safetensors", dataset.GetProperty("format").GetString());
        Assert.Equal(2000, dataset.GetProperty("samples").GetInt32());
    }

    [Fact]
    public async Task PostDataset_CifarArchive_Returns201WithThreeChannels()
    {
        using var response = await _client.PostFixtureAsync("/api/datasets", Fixtures.Cifar);

        var dataset = await response.JsonAsync(HttpStatusCode.Created);
        Assert.Equal("cifar", dataset.GetProperty("format").GetString());
        Assert.Equal(2000, dataset.GetProperty("samples").GetInt32());
        Assert.Equal(10, dataset.GetProperty("classes").GetInt32());
        Assert.Equal([3, 32, 32], Shape(dataset));
    }

    [Fact]
    public async Task GetDataset_UploadedId_ReturnsTheSameDatasetInfoAndTheListHoldsIt()
    {
        using var upload = await _client.PostFixtureAsync("/api/datasets", Fixtures.Npz);
        var id = (await upload.JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetString();

        var one = await _client.GetJsonAsync($"/api/datasets/{id}");
        var all = await _client.GetJsonAsync("/api/datasets");

        Assert.Equal(id, one.GetProperty("id").GetString());
        var listed = Assert.Single(all.EnumerateArray(), d => d.GetProperty("id").GetString() == id);
        Assert.Equal(one.ToString(), listed.ToString());
    }

    [Fact]
    public async Task GetDataset_UnknownId_Returns404Problem()
    {
        using var response = await _client.GetAsync("/api/datasets/no-such-dataset");

        var detail = await response.ProblemAsync(HttpStatusCode.NotFound);
        Assert.Contains("no-such-dataset", detail);
    }

    [Fact]
    public async Task PostDataset_PreprocessingNotJson_Returns400AndStoresNothing()
    {
        var before = await StoreSnapshot.TakeAsync(_client, factory);

        using var response = await _client.PostFashionMnistAsync("{scale: one third");

        var detail = await response.ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("preprocessing", detail);
        await before.AssertUnchangedAsync(_client, factory);
    }

    [Fact]
    public async Task PostDataset_PreprocessingWithZeroStd_Returns400AndStoresNothing()
    {
        var before = await StoreSnapshot.TakeAsync(_client, factory);

        using var response = await _client.PostFashionMnistAsync("""{"scale":0.0039,"mean":[0.286],"std":[0]}""");

        await response.ProblemAsync(HttpStatusCode.BadRequest);
        await before.AssertUnchangedAsync(_client, factory);
    }

    [Fact]
    public async Task PostDataset_PreprocessingWithAnUnknownField_Returns400NamingIt()
    {
        using var response = await _client.PostFashionMnistAsync("""{"scale":0.0039,"mean":[0.286],"stdev":[0.353]}""");

        var detail = await response.ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("'stdev'", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PostDataset_PreprocessingMeanPerChannelMismatch_Returns400()
    {
        using var response = await _client.PostFashionMnistAsync("""{"scale":0.0039,"mean":[0.5,0.5],"std":[0.5]}""");

        var detail = await response.ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("mean", detail);
    }

    [Theory]
    [InlineData(float.NaN, 0, "Sample 1 holds NaN at value 2 of its 4")]
    [InlineData(float.PositiveInfinity, 0, "Sample 1 holds Infinity at value 2 of its 4")]
    [InlineData(0.5f, -3, "Sample 2 has label -3")]
    [InlineData(0.5f, 1, "Every one of the 3 samples has label 1")]
    public async Task PostDataset_ValuesOrLabelsThatCannotBeMeasured_Returns400WithTheReasonAndStoresNothing(float value, long label, string reason)
    {
        var before = await StoreSnapshot.TakeAsync(_client, factory);
        float[] x = [0, 1, 2, 3, 4, 5, value, 7, 8, 9, 10, 11];
        long[] y = label == 1 ? [1, 1, 1] : [0, 1, label];

        using var response = await _client.PostFileAsync("/api/datasets", "bad.npz", NpzFiles.Features(x, 4, y));

        var detail = await response.ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains(reason, detail, StringComparison.Ordinal);
        await before.AssertUnchangedAsync(_client, factory);
    }

    [Fact]
    public async Task PostDataset_IdxPairWithPreprocessing_ReportsTheValueRangeTheModelSees()
    {
        using var response = await _client.PostFashionMnistAsync();

        var dataset = await response.JsonAsync(HttpStatusCode.Created);
        // Fashion-MNIST's 0..255 pixels, scaled by 1/255 and normalised by mean 0.286 and std 0.353.
        Assert.Equal(-0.286 / 0.353, dataset.GetProperty("valueMin").GetDouble(), 3);
        Assert.Equal((1 - 0.286) / 0.353, dataset.GetProperty("valueMax").GetDouble(), 3);
    }

    [Fact]
    public async Task PostDataset_ImagesWithoutLabels_Returns400AndStoresNothing()
    {
        var before = await StoreSnapshot.TakeAsync(_client, factory);

        using var response = await _client.PostFixtureAsync("/api/datasets", Fixtures.Images);

        await response.ProblemAsync(HttpStatusCode.BadRequest);
        await before.AssertUnchangedAsync(_client, factory);
    }

    [Fact]
    public async Task PostDataset_TextFile_Returns415AndStoresNothing()
    {
        var before = await StoreSnapshot.TakeAsync(_client, factory);

        using var response = await _client.PostFileAsync("/api/datasets", "labels.csv", Encoding.UTF8.GetBytes("image,label\n1,2\n"));

        await response.ProblemAsync(HttpStatusCode.UnsupportedMediaType);
        await before.AssertUnchangedAsync(_client, factory);
    }

    [Fact]
    public async Task PostDataset_ThreeFiles_Returns400()
    {
        using var form = ApiClient.Form([
            (Fixtures.Images, Fixtures.Bytes(Fixtures.Images)),
            (Fixtures.Labels, Fixtures.Bytes(Fixtures.Labels)),
            (Fixtures.Labels, Fixtures.Bytes(Fixtures.Labels))]);

        using var response = await _client.PostAsync("/api/datasets", form);

        await response.ProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task PostDataset_NotMultipart_Returns415()
    {
        using var response = await _client.PostAsync("/api/datasets", new StringContent("x,y\n", Encoding.UTF8, "text/csv"));

        await response.ProblemAsync(HttpStatusCode.UnsupportedMediaType);
    }

    private static int[] Shape(JsonElement dataset) => dataset.GetProperty("sampleShape").EnumerateArray().Select(e => e.GetInt32()).ToArray();
}
