using System.Diagnostics;
using System.Net;
using WeightShare.Web.Tests.Infrastructure;

namespace WeightShare.Web.Tests.Api;

/// <summary>WeightShare:HeavyRequestQueueSeconds = 2: a request that waits that long behind a slow upload is refused, saying why.</summary>
public sealed class HeavyRequestWaitTests(ShortQueueWaitAppFactory factory) : IClassFixture<ShortQueueWaitAppFactory>
{
    [Fact]
    public async Task PostDecompress_BehindAnUploadLongerThanTheWaitBound_Returns429SayingItWaited()
    {
        // Arrange: an upload holds the single permit while its body trickles in.
        using var client = factory.CreateSocketClient();
        using var held = new HeldContent(ApiClient.Form([(Fixtures.Cnn, await File.ReadAllBytesAsync(Fixtures.PathOf(Fixtures.Cnn)))]));
        var first = client.PostAsync("/api/models", held);
        await held.Started;
        await Task.Delay(TimeSpan.FromSeconds(2));
        var clock = Stopwatch.StartNew();

        // Act
        using var refused = await client.PostFileAsync("/api/decompress", "any.wsz", "WSZ1"u8.ToArray());
        var waited = clock.Elapsed;
        held.Release();
        using var firstResponse = await first;

        // Assert: it waited its two seconds in the queue, not refused at once, and the upload was served.
        var detail = await refused.ProblemAsync(HttpStatusCode.TooManyRequests);
        Assert.Contains("waited 2 s in the queue", detail, StringComparison.Ordinal);
        Assert.Contains("HeavyRequestQueueSeconds", detail, StringComparison.Ordinal);
        Assert.Equal(TimeSpan.FromSeconds(5), refused.Headers.RetryAfter?.Delta);
        Assert.True(waited >= TimeSpan.FromSeconds(1.9), $"Refused after {waited}, before its wait bound.");
        Assert.Equal(HttpStatusCode.Created, firstResponse.StatusCode);
    }
}
