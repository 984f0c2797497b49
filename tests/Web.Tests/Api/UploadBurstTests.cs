using System.Diagnostics;
using System.Net;
using WeightShare.Web.Tests.Infrastructure;
using Xunit.Abstractions;

namespace WeightShare.Web.Tests.Api;

/// <summary>
/// A team uploading together, on the default settings (4 served at once, 32 waiting): twelve concurrent uploads of one
/// model are all stored; forty are stored or refused with Retry-After, none fails, memory stays bounded. Each upload
/// holds its body back until every one has reached the server, so they are all there at once however fast the machine.
/// </summary>
public sealed class UploadBurstTests(DefaultKestrelAppFactory factory, ITestOutputHelper output) : IClassFixture<DefaultKestrelAppFactory>
{
    [Fact]
    public async Task PostModels_TwelveAtOnce_AllAnswer201()
    {
        // Arrange
        using var client = factory.CreateSocketClient();
        var model = await File.ReadAllBytesAsync(Fixtures.PathOf(Fixtures.Cnn));

        // Act
        var responses = await UploadTogetherAsync(client, model, 12);

        // Assert
        var statuses = responses.Select(r => (int)r.StatusCode).ToList();
        output.WriteLine(string.Join(", ", statuses));
        Assert.All(statuses, s => Assert.Equal(201, s));
        foreach (var response in responses)
        {
            response.Dispose();
        }
    }

    [Fact]
    public async Task PostModels_FortyAtOnce_Answer201Or429WithRetryAfterAndMemoryStaysBounded()
    {
        // Arrange: the process's working set sampled through the burst.
        using var client = factory.CreateSocketClient();
        var model = await File.ReadAllBytesAsync(Fixtures.PathOf(Fixtures.Cnn));
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        var before = process.WorkingSet64;
        var peak = before;
        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                process.Refresh();
                peak = Math.Max(peak, process.WorkingSet64);
                await Task.Delay(50);
            }
        });

        // Act
        var responses = await UploadTogetherAsync(client, model, 40);
        await sampling.CancelAsync();
        await sampler;

        // Assert: each stored, or refused with a Retry-After; the four served and the 32 queued are stored; the burst of
        // 34 MB of uploads raised the process (server and client) by far less than a gigabyte.
        var statuses = responses.Select(r => (int)r.StatusCode).ToList();
        output.WriteLine($"{statuses.Count(s => s == 201)} stored, {statuses.Count(s => s == 429)} refused; working set {before >> 20} MiB before, peak {peak >> 20} MiB");
        Assert.All(responses, r => Assert.True(
            r.StatusCode == HttpStatusCode.Created || (r.StatusCode == HttpStatusCode.TooManyRequests && r.Headers.RetryAfter?.Delta == TimeSpan.FromSeconds(5)),
            $"answered {(int)r.StatusCode}"));
        Assert.True(statuses.Count(s => s == 201) >= 36, $"only {statuses.Count(s => s == 201)} of 40 stored");
        Assert.InRange(peak - before, long.MinValue, 1L << 30);
        foreach (var response in responses)
        {
            response.Dispose();
        }
    }

    /// <summary>
    /// Sends <paramref name="count"/> uploads of <paramref name="model"/>, each holding its body back after its first
    /// bytes until all have started and the server has had a second to take their headers in.
    /// </summary>
    private static async Task<HttpResponseMessage[]> UploadTogetherAsync(HttpClient client, byte[] model, int count)
    {
        var bodies = Enumerable.Range(0, count).Select(_ => new HeldContent(ApiClient.Form([(Fixtures.Cnn, model)]))).ToList();
        var sent = bodies.Select(body => client.PostAsync("/api/models", body)).ToList();
        await Task.WhenAll(bodies.Select(b => b.Started));
        await Task.Delay(TimeSpan.FromSeconds(1));
        bodies.ForEach(b => b.Release());
        var responses = await Task.WhenAll(sent);
        bodies.ForEach(b => b.Dispose());
        return responses;
    }
}
