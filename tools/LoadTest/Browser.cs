using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;

namespace WeightShare.LoadTest;

/// <summary>
/// One simulated browser tab. For the whole load it holds a connection to the hub /hubs/runs that has joined both
/// runs (what a script following the runs does: api.md "Live events"), and counts the messages pushed to it. Meanwhile
/// it loads pages in turn (/, then each run's /runs/{id}): the HTML, then every stylesheet and script the page
/// references (the first time in full, then revalidated with If-None-Match as a reload does), then the page's Blazor
/// Server circuit, kept open while the user "reads" for the think time and closed when the next page loads.
/// </summary>
public sealed class Browser(Uri address, IReadOnlyList<string> runIds, LoadOptions options, LatencyRecorder recorder)
{
    public const string HubConnectKind = "hub connect /hubs/runs";
    public const string HubJoinKind = "hub invoke JoinRun";
    public const string HubDroppedKind = "hub connection held";
    public const string AssetKind = "static GET (css, js)";
    public const string CircuitKind = "circuit /_blazor: connect to first render";
    public const string CircuitHeldKind = "circuit held while reading";

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly ConcurrentDictionary<string, EntityTagHeaderValue> _etags = new(StringComparer.Ordinal);

    public static string PageKind(string path) => "page GET " + (path.StartsWith("/runs/", StringComparison.Ordinal) ? "/runs/{id}" : path);

    public async Task RunAsync(int index, CancellationToken stopping)
    {
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = 6, UseCookies = true, CookieContainer = new CookieContainer() };
        using var http = new HttpClient(handler) { BaseAddress = address, Timeout = System.Threading.Timeout.InfiniteTimeSpan };
        string[] pages = ["/", .. runIds.Select(id => $"/runs/{id}")];
        HubConnection? hub = null;
        BlazorCircuit? circuit = null;
        try
        {
            for (var i = index; !stopping.IsCancellationRequested; i++)
            {
                hub ??= await ConnectHubAsync(stopping);
                if (circuit is not null)
                {
                    await CloseAsync(circuit);
                    circuit = null;
                }

                var path = pages[i % pages.Length];
                string? html = null;
                await recorder.MeasureAsync(PageKind(path), async token =>
                {
                    using var answer = await http.GetAsync(new Uri(path, UriKind.Relative), token);
                    var body = await answer.Content.ReadAsStringAsync(token);
                    var outcome = Outcome.Of(answer, HttpStatusCode.OK);
                    html = outcome.ErrorKind is null ? body : null;
                    return outcome;
                }, Timeout, stopping);
                if (html is null)
                {
                    await PauseAsync(stopping);
                    continue;
                }
                foreach (var asset in PageMarkup.Assets(html))
                {
                    await recorder.MeasureAsync(AssetKind, token => RevalidateAsync(http, asset, token), Timeout, stopping);
                }
                if (options.Circuits && !stopping.IsCancellationRequested)
                {
                    var page = html;
                    await recorder.MeasureAsync(CircuitKind, async token =>
                    {
                        circuit = await BlazorCircuit.OpenAsync(address, path, page, http, token);
                        return Outcome.Ok;
                    }, Timeout, stopping);
                }
                await PauseAsync(stopping);
                if (hub is { State: HubConnectionState.Disconnected })
                {
                    // Closed by the server (or the network) while the tab was open: an error, then a fresh connection.
                    recorder.Record(HubDroppedKind, double.NaN, Outcome.Error("hub connection closed"));
                    await hub.DisposeAsync();
                    hub = null;
                }
            }
        }
        finally
        {
            if (circuit is not null)
            {
                await CloseAsync(circuit);
            }
            if (hub is not null)
            {
                var held = hub.State == HubConnectionState.Connected;
                recorder.Record(HubDroppedKind, double.NaN, held ? Outcome.Ok : Outcome.Error("hub connection closed"));
                await hub.DisposeAsync();
            }
        }
    }

    private async Task<HubConnection?> ConnectHubAsync(CancellationToken stopping)
    {
        var hub = new HubConnectionBuilder().WithUrl(new Uri(address, "/hubs/runs")).Build();
        foreach (var message in new[] { "Generation", "Status", "Progress", "Merge" })
        {
            hub.On<JsonElement>(message, _ => recorder.Count("hub message " + message));
        }
        var connected = await recorder.MeasureAsync(HubConnectKind, async token =>
        {
            await hub.StartAsync(token);
            return Outcome.Ok;
        }, Timeout, stopping);
        if (connected.ErrorKind is not null || connected.IsCancelled)
        {
            await hub.DisposeAsync();
            return null;
        }
        foreach (var id in runIds)
        {
            await recorder.MeasureAsync(HubJoinKind, async token =>
            {
                await hub.InvokeAsync("JoinRun", id, token);
                return Outcome.Ok;
            }, Timeout, stopping);
        }
        return hub;
    }

    private async Task CloseAsync(BlazorCircuit circuit)
    {
        // A circuit the server ended while it was open (JS.Error, or the connection closed) is an error of the held kind.
        recorder.Record(CircuitHeldKind, double.NaN, circuit.Error is { } error ? Outcome.Error(error) : Outcome.Ok);
        await circuit.DisposeAsync();
    }

    private async Task<Outcome> RevalidateAsync(HttpClient http, string asset, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(asset, UriKind.Relative));
        if (_etags.TryGetValue(asset, out var etag))
        {
            request.Headers.IfNoneMatch.Add(etag);
        }
        using var answer = await http.SendAsync(request, cancellationToken);
        await answer.Content.LoadIntoBufferAsync(cancellationToken);
        if (answer.Headers.ETag is { } fresh)
        {
            _etags[asset] = fresh;
        }
        return Outcome.Of(answer, HttpStatusCode.OK, HttpStatusCode.NotModified);
    }

    private async Task PauseAsync(CancellationToken stopping)
    {
        try
        {
            await Task.Delay(options.ThinkMilliseconds, stopping);
        }
        catch (OperationCanceledException)
        {
        }
    }
}
