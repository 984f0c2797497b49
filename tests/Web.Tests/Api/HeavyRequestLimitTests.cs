using System.Net;
using WeightShare.Web.Tests.Infrastructure;

namespace WeightShare.Web.Tests.Api;

/// <summary>WeightShare:MaxConcurrentHeavyRequests = 1: while one upload is parsed, another heavy request is 429 with Retry-After.</summary>
public sealed class HeavyRequestLimitTests(OneHeavyRequestAppFactory factory) : IClassFixture<OneHeavyRequestAppFactory>
{
    [Fact]
    public async Task PostDecompress_WhileAnotherUploadIsArriving_Returns429WithRetryAfterThenServesAgain()
    {
        // Arrange: an upload holds the single permit while its body trickles in. It is a real model: junk would be
        // refused on its first bytes as soon as they arrive, and the refusal could race the rest of the body.
        using var client = factory.CreateSocketClient();
        using var held = new HeldContent(ApiClient.Form([(Fixtures.Cnn, await File.ReadAllBytesAsync(Fixtures.PathOf(Fixtures.Cnn)))]));
        var first = client.PostAsync("/api/models", held);
        await held.Started;
        // A decompress is heavy too: one that holds the single permit when the upload's headers reach the server gets
        // the upload refused (429, and its connection reset once the held body goes on), so none is sent until the
        // server has had time to take the upload in.
        await Task.Delay(TimeSpan.FromSeconds(2));

        // Act: until the server has taken the first request in (on a loaded machine that takes a moment), a decompress
        // still gets through; once it has, every decompress is refused. Then, once the first is done, served again.
        using var second = await PostUntilAsync(client, status => status == HttpStatusCode.TooManyRequests);
        held.Release();
        using var firstResponse = await first;
        using var after = await PostUntilAsync(client, status => status != HttpStatusCode.TooManyRequests);

        // Assert
        var detail = await second.ProblemAsync(HttpStatusCode.TooManyRequests);
        Assert.Contains("MaxConcurrentHeavyRequests", detail, StringComparison.Ordinal);
        Assert.Equal(TimeSpan.FromSeconds(5), second.Headers.RetryAfter?.Delta);
        Assert.NotEqual(HttpStatusCode.TooManyRequests, firstResponse.StatusCode);
        await after.ProblemAsync(HttpStatusCode.BadRequest);
    }

    private static async Task<HttpResponseMessage> PostUntilAsync(HttpClient client, Func<HttpStatusCode, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var response = await client.PostFileAsync("/api/decompress", "any.wsz", "WSZ1"u8.ToArray());
            if (done(response.StatusCode) || DateTime.UtcNow > deadline)
            {
                return response;
            }
            response.Dispose();
            await Task.Delay(50);
        }
    }
}
