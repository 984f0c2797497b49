using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WeightShare.Engine.Wsz;
using WeightShare.Jobs.Data;
using WeightShare.Web.Tests.Infrastructure;
using Xunit.Abstractions;

namespace WeightShare.Web.Tests.Api;

/// <summary>
/// Models over the .wsz format's limit (WszBuilder.MaxOriginalBytes) are refused with a detail naming the limit, at
/// upload (on a host whose upload cap is raised above it) and at run creation, rather than failing when a run writes
/// its first file.
/// </summary>
public sealed class ModelSizeLimitTests(LargeUploadAppFactory factory, ITestOutputHelper output) : IClassFixture<LargeUploadAppFactory>, IDisposable
{
    private readonly HttpClient _client = factory.CreateClient();
    private readonly string _directory = Directory.CreateTempSubdirectory("wsw-limit-").FullName;

    [Fact]
    public async Task PostModel_SparseFileOneByteOverTheWszLimit_Returns413NamingTheLimitAndStoresNothing()
    {
        // Arrange: a sparse file, made at once, that starts as a zip (so its first bytes pass); the whole of it still
        // travels through the test server.
        var path = Path.Combine(_directory, "huge.pt");
        using (var file = File.Create(path))
        {
            file.SetLength(WszBuilder.MaxOriginalBytes + 1);
            file.Write("PK\u0003\u0004"u8);
        }
        var before = await StoreSnapshot.TakeAsync(_client, factory);
        await using var stream = File.OpenRead(path);
        using var form = new MultipartFormDataContent();
        var content = new StreamContent(stream, 1 << 20);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(content, "file", "huge.pt");
        // The default client's redirect handler copies a request body into one MemoryStream, which cannot hold it.
        using var streaming = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var clock = Stopwatch.StartNew();

        // Act
        using var response = await streaming.PostAsync("/api/models", form);

        // Assert
        output.WriteLine($"{WszBuilder.MaxOriginalBytes + 1:N0} bytes uploaded and refused in {clock.Elapsed.TotalSeconds:F1} s");
        var detail = await response.ProblemAsync(HttpStatusCode.RequestEntityTooLarge);
        Assert.Contains($"{WszBuilder.MaxOriginalBytes + 1:N0} bytes", detail, StringComparison.Ordinal);
        Assert.Contains($"{WszBuilder.MaxOriginalBytes:N0} bytes a .wsz file can hold", detail, StringComparison.Ordinal);
        await before.AssertUnchangedAsync(_client, factory);
    }

    [Fact]
    public async Task PostRun_StoredModelOverTheWszLimit_Returns400NamingTheLimitAndQueuesNothing()
    {
        // Arrange: a model stored before uploads were checked, as a real file over the limit (sparse) and its rows.
        var modelId = await _client.UploadModelAsync();
        var datasetId = await _client.UploadFashionMnistAsync();
        var contexts = factory.Services.GetRequiredService<IDbContextFactory<WeightShareDbContext>>();
        await using (var db = await contexts.CreateDbContextAsync())
        {
            var model = await db.Models.Include(m => m.File).SingleAsync(m => m.Id == modelId);
            using (var file = new FileStream(Path.Combine(factory.FilesDirectory, model.File!.Sha256), FileMode.Open, FileAccess.Write))
            {
                file.SetLength(WszBuilder.MaxOriginalBytes + 1);
            }
            model.SizeBytes = model.File.SizeBytes = WszBuilder.MaxOriginalBytes + 1;
            await db.SaveChangesAsync();
        }
        var runsBefore = (await _client.GetJsonAsync("/api/runs")).GetArrayLength();

        // Act: on data, and data-free.
        using var response = await _client.PostRunAsync(ApiClient.TinyRun(modelId, datasetId));
        using var dataFree = await _client.PostRunAsync(new { modelId });

        // Assert
        var detail = await response.ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains($"{WszBuilder.MaxOriginalBytes:N0} bytes a .wsz file can hold", detail, StringComparison.Ordinal);
        Assert.Contains($"{WszBuilder.MaxOriginalBytes:N0} bytes a .wsz file can hold", await dataFree.ProblemAsync(HttpStatusCode.BadRequest), StringComparison.Ordinal);
        Assert.Equal(runsBefore, (await _client.GetJsonAsync("/api/runs")).GetArrayLength());
    }

    public void Dispose()
    {
        _client.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
