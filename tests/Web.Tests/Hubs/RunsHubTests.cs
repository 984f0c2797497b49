using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using WeightShare.Web.Tests.Infrastructure;

namespace WeightShare.Web.Tests.Hubs;

/// <summary>
/// api.md "Live events" through a real SignalR client over WebSockets. The hub does not replay: a listener hears
/// what is sent after it joins, so these tests join while the watched run waits behind another run on the single
/// worker (WeightShare:WorkerCount 1, the default) and release it by cancelling that run.
/// </summary>
public sealed class RunsHubTests(WebAppFactory factory) : IClassFixture<WebAppFactory>, IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(3);
    private readonly HttpClient _client = factory.CreateClient();
    private string _modelId = "";
    private string _datasetId = "";

    public async Task InitializeAsync()
    {
        _modelId = await _client.UploadModelAsync(Fixtures.Cnn);
        _datasetId = await _client.UploadFashionMnistAsync();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task JoinRun_BeforeTheJobStarts_ReceivesEveryGenerationOnceInOrderThenStatusesAndMerges()
    {
        var blocker = await StartBlockerAsync();
        var runId = await _client.StartRunAsync(ApiClient.TinyRun(_modelId, _datasetId));
        await using var hub = Connect();
        var received = new Received(hub);
        await hub.StartAsync();

        await hub.InvokeAsync("JoinRun", runId);
        Assert.Equal("Queued", (await _client.GetJsonAsync($"/api/runs/{runId}")).GetProperty("status").GetString());
        await CancelAsync(blocker);
        var final = await received.Final.Task.WaitAsync(Patience);

        Assert.Equal("Succeeded", final);
        var stored = (await _client.GetJsonAsync($"/api/runs/{runId}/generations")).EnumerateArray().ToArray();
        var generations = received.Generations.ToArray();
        Assert.Equal(Enumerable.Range(1, 4), generations.Select(g => g.GetProperty("generation").GetInt32()));
        Assert.All(generations, g => Assert.Equal(runId, g.GetProperty("runId").GetString()));
        for (var i = 0; i < stored.Length; i++)
        {
            Assert.Equal(stored[i].GetProperty("evaluations").GetInt32(), generations[i].GetProperty("evaluations").GetInt32());
            Assert.Equal(stored[i].GetProperty("hypervolume").GetDouble(), generations[i].GetProperty("hypervolume").GetDouble());
            Assert.Equal(stored[i].GetProperty("population").ToString(), generations[i].GetProperty("population").ToString());
            Assert.Equal(stored[i].GetProperty("front").ToString(), generations[i].GetProperty("front").ToString());
        }
        var statuses = received.Statuses.ToArray();
        Assert.Equal(["Running", "Succeeded"], statuses.Select(s => s.GetProperty("status").GetString()));
        Assert.All(statuses, s => Assert.Equal(JsonValueKind.String, s.GetProperty("status").ValueKind));
        Assert.All(statuses, s => Assert.Equal(runId, s.GetProperty("runId").GetString()));
        Assert.All(statuses, s => Assert.Equal(JsonValueKind.Null, s.GetProperty("error").ValueKind));

        var solutions = (await _client.GetJsonAsync($"/api/runs/{runId}/solutions")).EnumerateArray().ToArray();
        var merges = received.Merges.ToArray();
        Assert.All(merges, m =>
        {
            Assert.Equal(runId, m.GetProperty("runId").GetString());
            Assert.False(m.TryGetProperty("solutionK", out _));
            var k = K(m);
            Assert.Contains(k, solutions.Select(K));
            Assert.InRange(m.GetProperty("sharedValues").GetInt32(), 1, k - 1);
            Assert.InRange(m.GetProperty("validationAccuracy").GetDouble(), 0, 1);
        });
        // Each merged solution was announced step by step, its last step being the stored result.
        foreach (var solution in solutions.Where(s => s.GetProperty("merged").GetBoolean()))
        {
            var steps = merges.Where(m => K(m) == K(solution)).ToArray();
            Assert.NotEmpty(steps);
            Assert.Equal(solution.GetProperty("sharedValues").GetInt32(), steps[^1].GetProperty("sharedValues").GetInt32());
        }
        var fractions = received.Progress.Select(p => p.GetProperty("fraction").GetDouble()).ToArray();
        Assert.All(fractions, f => Assert.InRange(f, 0, 1));
        Assert.Equal(fractions.Order(), fractions);
        // Once the baseline is measured every tick carries the run's estimate of the time left; the last says none.
        var remaining = received.Progress.Select(p => p.GetProperty("remainingSeconds")).ToArray();
        Assert.Equal(0, remaining[^1].GetDouble());
        Assert.All(remaining.Skip(2), r => Assert.True(r.GetDouble() >= 0));
    }

    [Fact]
    public async Task LeaveRun_AfterTheFirstGeneration_StopsTheRunsMessages()
    {
        var blocker = await StartBlockerAsync();
        // Enough generations that the run cannot race through all of them between the first message and LeaveRun,
        // even when other tests hold the test process up (CI once heard all 12 of a shorter run before leaving).
        const int generations = 60;
        var runId = await _client.StartRunAsync(ApiClient.TinyRun(_modelId, _datasetId, generations, kMax: 1024));
        await using var hub = Connect();
        var received = new Received(hub);
        var firstGeneration = new TaskCompletionSource();
        hub.On<JsonElement>("Generation", _ => firstGeneration.TrySetResult());
        await hub.StartAsync();
        await hub.InvokeAsync("JoinRun", runId);
        await CancelAsync(blocker);
        await firstGeneration.Task.WaitAsync(Patience);

        await hub.InvokeAsync("LeaveRun", runId);
        var heardBeforeLeaving = received.Generations.Count;
        var final = await _client.WaitForRunAsync(runId, ApiClient.IsFinal, Patience);

        // A group message the server had begun sending as LeaveRun arrived may still land after it returns; nothing later.
        Assert.Equal("Succeeded", final.GetProperty("status").GetString());
        var heard = received.Generations.Select(g => g.GetProperty("generation").GetInt32()).ToArray();
        Assert.Equal(Enumerable.Range(1, heard.Length), heard);
        Assert.InRange(heard.Length, heardBeforeLeaving, heardBeforeLeaving + 1);
        Assert.True(heard.Length < generations, $"Heard all {heard.Length} generations despite leaving after generation {heardBeforeLeaving}.");
        Assert.DoesNotContain(received.Statuses, s => s.GetProperty("status").GetString() is "Succeeded");
        Assert.False(received.Final.Task.IsCompleted);
    }

    private static int K(JsonElement solutionOrMerge) => solutionOrMerge.GetProperty("parameters").GetProperty("k").GetInt32();

    /// <summary>A long run that holds the single worker until <see cref="CancelAsync"/>.</summary>
    private async Task<string> StartBlockerAsync()
    {
        var blocker = await _client.StartRunAsync(ApiClient.TinyRun(_modelId, _datasetId, generations: 200, kMax: 1024));
        await _client.WaitForStatusAsync(blocker, "Running", Patience);
        return blocker;
    }

    private async Task CancelAsync(string runId)
    {
        using var response = await _client.PostAsync($"/api/runs/{runId}/cancel", null);
        response.EnsureSuccessStatusCode();
    }

    private HubConnection Connect() => new HubConnectionBuilder()
        .WithUrl(new Uri(factory.Server.BaseAddress, "hubs/runs"), options =>
        {
            options.Transports = HttpTransportType.WebSockets;
            options.HttpMessageHandlerFactory = _ => factory.Server.CreateHandler();
            options.WebSocketFactory = async (context, cancellationToken) =>
                await factory.Server.CreateWebSocketClient().ConnectAsync(context.Uri, cancellationToken);
        })
        .Build();

    /// <summary>Everything the hub sends one connection, in arrival order.</summary>
    private sealed class Received
    {
        public Received(HubConnection hub)
        {
            hub.On<JsonElement>("Generation", Generations.Enqueue);
            hub.On<JsonElement>("Merge", Merges.Enqueue);
            hub.On<JsonElement>("Progress", Progress.Enqueue);
            hub.On<JsonElement>("Status", status =>
            {
                Statuses.Enqueue(status);
                if (status.GetProperty("status").GetString() is "Succeeded" or "Failed" or "Canceled")
                {
                    Final.TrySetResult(status.GetProperty("status").GetString()!);
                }
            });
        }

        public ConcurrentQueue<JsonElement> Generations { get; } = new();

        public ConcurrentQueue<JsonElement> Statuses { get; } = new();

        public ConcurrentQueue<JsonElement> Merges { get; } = new();

        public ConcurrentQueue<JsonElement> Progress { get; } = new();

        public TaskCompletionSource<string> Final { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
