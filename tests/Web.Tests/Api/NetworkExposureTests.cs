using WeightShare.Web.Tests.Infrastructure;

namespace WeightShare.Web.Tests.Api;

/// <summary>Listening where other machines reach it: no start without a token, unless the operator says so.</summary>
public sealed class NetworkExposureTests
{
    [Fact]
    public async Task EveryAddressWithoutToken_RefusesToStartSayingHowToConfigureOne()
    {
        await using var factory = new KestrelAppFactory(new Dictionary<string, string?>(), anyAddress: true);

        var error = Assert.ThrowsAny<Exception>(() => factory.ServerAddress);

        var message = string.Join(" | ", Messages(error));
        Assert.Contains("has no access token", message, StringComparison.Ordinal);
        Assert.Contains("WeightShare__AccessTokens__0", message, StringComparison.Ordinal);
        Assert.Contains("AllowAnonymousNetworkAccess", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EveryAddressWithAnonymousAccessAllowed_StartsAndAnswers()
    {
        await using var factory = new KestrelAppFactory(new Dictionary<string, string?> { ["WeightShare:AllowAnonymousNetworkAccess"] = "true" }, anyAddress: true);
        using var client = factory.CreateSocketClient();

        using var response = await client.GetAsync("api/runs");

        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
    }

    private static IEnumerable<string> Messages(Exception error)
    {
        for (Exception? e = error; e is not null; e = e.InnerException)
        {
            yield return e.Message;
            if (e is AggregateException aggregate)
            {
                foreach (var inner in aggregate.InnerExceptions)
                {
                    yield return inner.Message;
                }
            }
        }
    }
}
