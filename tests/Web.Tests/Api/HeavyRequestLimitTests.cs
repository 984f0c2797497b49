using System.Net;
using WeightShare.Web.Tests.Infrastructure;

namespace WeightShare.Web.Tests.Api;

/// <summary>WeightShare:MaxConcurrentHeavyRequests = 1: while one upload is parsed, another heavy request is 429 with Retry-After.</summary>
public sealed class HeavyRequestLimitTests(OneHeavyRequestAppFactory factory) : IClassFixture<OneHeavyRequestAppFactory>
{
    [Fact]
    public async Task PostDecompress_WhileAnotherUploadIsArriving_Returns429WithRetryAfterThenServesAgain()
    {
        // Arrange: an upload holds the single permit while its body trickles in.
        using var client = factory.CreateSocketClient();
        using var held = new HeldContent(ApiClient.Form([(Fixtures.Cnn, new byte[1000])]));
        var first = client.PostAsync("/api/models", held);
        await held.Started;
        await Task.Delay(500);

        // Act
        using var second = await client.PostFileAsync("/api/decompress", "any.wsz", "WSZ1"u8.ToArray());
        held.Release();
        using var firstResponse = await first;
        using var after = await client.PostFileAsync("/api/decompress", "any.wsz", "WSZ1"u8.ToArray());

        // Assert
        var detail = await second.ProblemAsync(HttpStatusCode.TooManyRequests);
        Assert.Contains("MaxConcurrentHeavyRequests", detail, StringComparison.Ordinal);
        Assert.Equal(TimeSpan.FromSeconds(5), second.Headers.RetryAfter?.Delta);
        Assert.NotEqual(HttpStatusCode.TooManyRequests, firstResponse.StatusCode);
        await after.ProblemAsync(HttpStatusCode.BadRequest);
    }
}
