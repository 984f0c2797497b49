using System.Net;
using WeightShare.Web.Tests.Infrastructure;

namespace WeightShare.Web.Tests.Api;

/// <summary>Runs only one after another with nothing else in parallel: it depends on which host started last.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class HostLifetimeCollection
{
    public const string Name = "Host lifetime";
}

/// <summary>
/// Hangfire keeps its log provider and job activator in process-wide statics that every host's AddHangfire overwrites.
/// Two hosts in one process (every test run; any app that embeds this one) must not lean on each other through them.
/// </summary>
[Collection(HostLifetimeCollection.Name)]
public sealed class HostLifetimeTests
{
    [Fact]
    public async Task PostRun_AfterAnotherHostInTheProcessStartedAndStopped_QueuesAndFinishesTheRun()
    {
        await using var first = new WebAppFactory();
        var client = first.CreateClient();
        var model = await client.UploadModelAsync();
        var dataset = await client.UploadFashionMnistAsync();
        await using (var second = new WebAppFactory())
        {
            using var other = second.CreateClient();
            Assert.Equal(HttpStatusCode.OK, (await other.GetAsync("/health")).StatusCode);
        }

        var id = await client.StartRunAsync(ApiClient.TinyRun(model, dataset));

        var run = await client.WaitForRunAsync(id, ApiClient.IsFinal, TimeSpan.FromMinutes(3));
        Assert.Equal("Succeeded", run.GetProperty("status").GetString());
        Assert.NotEmpty((await client.GetJsonAsync($"/api/runs/{id}/solutions")).EnumerateArray());
    }
}
