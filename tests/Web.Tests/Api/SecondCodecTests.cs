using System.Net;
using Bunit;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using WeightShare.Engine.Codecs;
using WeightShare.Tests.Support;
using WeightShare.Web.Components.Pages.Run;
using WeightShare.Web.Tests.Components;
using WeightShare.Web.Tests.Infrastructure;

namespace WeightShare.Web.Tests.Api;

/// <summary>
/// A second codec is one class and one registration: the test-only grid codec, registered by the host, goes through
/// POST /api/runs, the solutions API, the downloads, /api/decompress (a .wsz version 2) and the run page.
/// </summary>
public sealed class SecondCodecTests : ComponentTestBase
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task Run_GridCodec_ThroughApiDownloadsDecompressAndRunPage()
    {
        // Arrange: the product's host with one more codec registered.
        await using var factory = new GridCodecAppFactory();
        var client = factory.CreateClient();
        var model = await client.UploadModelAsync();
        var dataset = await client.UploadFashionMnistAsync();

        // Act
        var runId = await client.StartRunAsync(new
        {
            modelId = model,
            datasetId = dataset,
            codec = "grid",
            validationSamples = 300,
            search = new { population = 6, generations = 2, seed = 1 },
        });
        var run = await client.WaitForStatusAsync(runId, "Succeeded", Patience);

        // Assert: settings, generations and solutions speak the codec's own gene.
        Assert.Equal("grid", run.GetProperty("settings").GetProperty("codec").GetString());
        var generations = await client.GetJsonAsync($"/api/runs/{runId}/generations");
        Assert.All(generations.EnumerateArray().SelectMany(g => g.GetProperty("population").EnumerateArray()), p =>
        {
            Assert.InRange(p.GetProperty("parameters").GetProperty("bits").GetInt32(), 1, 8);
            Assert.False(p.TryGetProperty("k", out _));
        });
        var solutions = (await client.GetJsonAsync($"/api/runs/{runId}/solutions")).EnumerateArray().ToList();
        Assert.NotEmpty(solutions);
        foreach (var solution in solutions)
        {
            var bits = solution.GetProperty("parameters").GetProperty("bits").GetInt32();
            Assert.Equal("grid", solution.GetProperty("codec").GetString());
            Assert.False(solution.TryGetProperty("k", out _));
            Assert.StartsWith($"{bits}-bit grid", solution.GetProperty("description").GetString(), StringComparison.Ordinal);
            Assert.Equal(solution.GetProperty("validationAccuracy").GetDouble(), solution.GetProperty("validationMetric").GetDouble());

            // The .wsz (version 2, codec "grid") decompresses through the API to the very checkpoint the run wrote.
            var id = solution.GetProperty("id").GetString();
            using var compressed = await client.GetAsync($"/api/solutions/{id}/compressed");
            var wsz = await compressed.Content.ReadAsByteArrayAsync();
            Assert.Equal($"fmnist_cnn-bits{bits}.wsz", compressed.Content.Headers.ContentDisposition?.FileNameStar ?? compressed.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
            Assert.Equal(2, BitConverter.ToUInt16(wsz, 4));
            var checkpoint = await client.GetByteArrayAsync($"/api/solutions/{id}/checkpoint");
            using var decompressed = await client.PostFileAsync("/api/decompress", $"fmnist_cnn-bits{bits}.wsz", wsz);
            Assert.Equal(HttpStatusCode.OK, decompressed.StatusCode);
            Assert.Equal(checkpoint, await decompressed.Content.ReadAsByteArrayAsync());
        }

        // The run page lists the solutions by their parameters.
        UseAppServices(factory.Services);
        var page = Render<RunPage>(p => p.Add(c => c.Id, runId));
        page.WaitForAssertion(() => Assert.Equal(solutions.Count, page.FindAll("[data-testid=solution-parameters]").Count));
        Assert.All(page.FindAll("[data-testid=solution-parameters]"), cell => Assert.Matches(@"^bits = [1-8]$", cell.TextContent.Trim()));
    }

    [Fact]
    public async Task PostRun_UnknownCodec_400NamesTheCodecsThereAre()
    {
        await using var factory = new GridCodecAppFactory();
        var client = factory.CreateClient();
        var model = await client.UploadModelAsync();
        var dataset = await client.UploadFashionMnistAsync();

        using var response = await client.PostRunAsync(new { modelId = model, datasetId = dataset, codec = "zip" });

        Assert.Equal("codec 'zip' is not one of: paper, scalar, additive, grid.", await response.ProblemAsync(HttpStatusCode.BadRequest));
    }

    private sealed class GridCodecAppFactory : WebAppFactory
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureTestServices(services => services.AddSingleton(CodecRegistry.CreateDefault().Register(() => new GridCodec())));
        }
    }
}
