using System.Net;
using WeightShare.Web.Tests.Infrastructure;

namespace WeightShare.Web.Tests.Api;

/// <summary>One heavy request served and one waiting: the next is refused (429, Retry-After), the waiting one is served in turn.</summary>
public sealed class HeavyRequestQueueTests(QueuedHeavyRequestAppFactory factory) : IClassFixture<QueuedHeavyRequestAppFactory>
{
    [Fact]
    public async Task PostDecompress_WhileAnUploadIsServedAndOneWaits_IsRefusedAndTheWaitingOneIsServedInTurn()
    {
        // Arrange: an upload holds the single permit while its body trickles in, and a decompress waits behind it.
        using var client = factory.CreateSocketClient();
        using var held = new HeldContent(ApiClient.Form([(Fixtures.Cnn, await File.ReadAllBytesAsync(Fixtures.PathOf(Fixtures.Cnn)))]));
        var first = client.PostAsync("/api/models", held);
        await held.Started;
        await Task.Delay(TimeSpan.FromSeconds(2));
        var waiting = client.PostFileAsync("/api/decompress", "any.wsz", "WSZ1"u8.ToArray());
        await Task.Delay(TimeSpan.FromSeconds(1));
        var waitedBeforeRelease = !waiting.IsCompleted;

        // Act: the queue (one place) is full, so the next is refused at once; then the upload goes on.
        using var refused = await client.PostFileAsync("/api/decompress", "any.wsz", "WSZ1"u8.ToArray());
        held.Release();
        using var firstResponse = await first;
        using var waitingResponse = await waiting;

        // Assert
        Assert.True(waitedBeforeRelease, "The decompress behind the upload was answered before the upload finished.");
        var detail = await refused.ProblemAsync(HttpStatusCode.TooManyRequests);
        Assert.Contains("MaxQueuedHeavyRequests", detail, StringComparison.Ordinal);
        Assert.Equal(TimeSpan.FromSeconds(5), refused.Headers.RetryAfter?.Delta);
        Assert.Equal(HttpStatusCode.Created, firstResponse.StatusCode);
        await waitingResponse.ProblemAsync(HttpStatusCode.BadRequest);
    }
}
