using System.Diagnostics;
using System.Net;
using WeightShare.Tests.Support;
using WeightShare.Web.Tests.Infrastructure;
using Xunit.Abstractions;

namespace WeightShare.Web.Tests.Api;

/// <summary>Runs with nothing else in parallel: it measures the whole process's memory.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessMemoryCollection
{
    public const string Name = "Process memory";
}

/// <summary>Requests built to exhaust the server: each is refused, and memory does not follow what the files claim.</summary>
[Collection(ProcessMemoryCollection.Name)]
public sealed class HostileRequestTests(HostileRequestTests.ManyHeavyRequestsAppFactory factory, ITestOutputHelper output) : IClassFixture<HostileRequestTests.ManyHeavyRequestsAppFactory>
{
    private const long Inflated = 2_000_000_000;
    private const long Budget = 256L << 20;

    [Fact]
    public async Task PostDecompress_FourResidualBombsAtOnce_Each4xxAndWorkingSetGrowsUnder256MiB()
    {
        // Arrange: residuals of 2 MB that inflate to 2 GB; two claim the whole 2 GB (beyond the 1 GiB the server
        // rebuilds), two claim 200 MiB, so the decoder runs until the residual passes its claim.
        var client = factory.CreateClient();
        byte[][] bombs = [HostileWsz.Residual(Inflated, Inflated), HostileWsz.Residual(Inflated, Inflated),
            HostileWsz.Residual(Inflated, 200L << 20), HostileWsz.Residual(Inflated, 200L << 20)];
        Assert.All(bombs, bomb => Assert.InRange(bomb.Length, 1, 4 << 20));
        using (var warmUp = await client.PostFileAsync("/api/decompress", "warm.wsz", HostileWsz.Weights(1024, trueSha256: true)))
        {
            Assert.Equal(HttpStatusCode.OK, warmUp.StatusCode);
        }
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        var baseline = process.WorkingSet64;
        using var sampling = new CancellationTokenSource();
        var peak = Task.Run(async () =>
        {
            var highest = baseline;
            while (!sampling.IsCancellationRequested)
            {
                process.Refresh();
                highest = Math.Max(highest, process.WorkingSet64);
                await Task.Delay(10, CancellationToken.None);
            }
            return highest;
        }, CancellationToken.None);

        // Act
        var responses = await Task.WhenAll(bombs.Select((bomb, i) => client.PostFileAsync("/api/decompress", $"bomb{i}.wsz", bomb)));
        await sampling.CancelAsync();
        var growth = await peak - baseline;

        // Assert
        var details = new List<string>();
        foreach (var response in responses)
        {
            using (response)
            {
                Assert.InRange((int)response.StatusCode, 400, 499);
                details.Add(await response.Content.ReadAsStringAsync());
            }
        }
        Assert.Equal(2, details.Count(d => d.Contains("this server rebuilds at most", StringComparison.Ordinal)));
        Assert.Equal(2, details.Count(d => d.Contains("more bytes than the .wsz file declares", StringComparison.Ordinal)));
        output.WriteLine($"Working set {baseline / (1 << 20)} MiB before, grew by at most {growth / (1 << 20)} MiB during the four requests.");
        Assert.True(growth < Budget, $"The working set grew by {growth / (1 << 20)} MiB (from {baseline / (1 << 20)} MiB), more than the 256 MiB allowed.");
        Assert.Empty(Directory.GetFiles(Path.Combine(factory.FilesDirectory, "tmp")));
    }

    /// <summary>Room for the four bombs and the warm-up at once, so none is refused for the heavy-request limit instead.</summary>
    public sealed class ManyHeavyRequestsAppFactory() : WebAppFactory(new Dictionary<string, string?> { ["WeightShare:MaxConcurrentHeavyRequests"] = "8" });
}
