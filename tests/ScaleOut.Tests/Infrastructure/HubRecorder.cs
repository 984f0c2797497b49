using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;

namespace WeightShare.ScaleOut.Tests.Infrastructure;

/// <summary>A SignalR client of one web process that joins runs and records, per run, the generations it was told of, in arrival order.</summary>
public sealed class HubRecorder : IAsyncDisposable
{
    private readonly HubConnection _hub;
    private readonly ConcurrentDictionary<string, ConcurrentQueue<int>> _generations = new(StringComparer.Ordinal);

    private HubRecorder(HubConnection hub)
    {
        _hub = hub;
        hub.On<JsonElement>("Generation", g => _generations
            .GetOrAdd(g.GetProperty("runId").GetString()!, _ => new ConcurrentQueue<int>())
            .Enqueue(g.GetProperty("generation").GetInt32()));
    }

    public static async Task<HubRecorder> ConnectAsync(Uri web)
    {
        var hub = new HubConnectionBuilder().WithUrl(new Uri(web, "/hubs/runs")).Build();
        await hub.StartAsync();
        return new HubRecorder(hub);
    }

    public Task JoinAsync(string runId) => _hub.InvokeAsync("JoinRun", runId);

    /// <summary>The generation numbers received for the run, in the order they came.</summary>
    public int[] Generations(string runId) => _generations.TryGetValue(runId, out var received) ? received.ToArray() : [];

    public async ValueTask DisposeAsync() => await _hub.DisposeAsync();
}
