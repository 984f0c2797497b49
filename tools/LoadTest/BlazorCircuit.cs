using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.Extensions.DependencyInjection;

namespace WeightShare.LoadTest;

/// <summary>
/// A page's Blazor Server circuit, opened the way blazor.web.js opens it after a prerendered page has loaded: negotiate
/// and connect a WebSocket to /_blazor (blazorpack), StartCircuit, hand over the page's server component markers with
/// UpdateRootComponents, then acknowledge every render batch (OnRenderCompleted) and answer every JS interop call. A
/// closed tab is POST /_blazor/disconnect, as the browser's beacon sends it, so the server drops the circuit at once
/// instead of keeping it for its retention period.
/// <para>
/// What this client cannot do is run the JavaScript: each interop call (MudBlazor's and Plotly's scripts, Blazor's
/// own) is answered at once as a success with no value, or with a fresh object reference where the call asks for
/// one. The server's renderer, diffing, interop round trips and the live feed the run page subscribes to are real;
/// the browser's side of them is not.
/// </para>
/// </summary>
public sealed class BlazorCircuit : IAsyncDisposable
{
    /// <summary>JSCallResultType.JSObjectReference: the call's result is a JS object the server keeps a reference to.</summary>
    private const int JSObjectReferenceResult = 1;

    private readonly HubConnection _connection;
    private readonly HttpClient _http;
    private readonly TaskCompletionSource _firstRender = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private string? _secret;
    private long _renderBatches;
    private long _interopCalls;
    private volatile string? _error;
    private volatile bool _closing;

    private BlazorCircuit(HubConnection connection, HttpClient http)
    {
        _connection = connection;
        _http = http;
        connection.On("JS.RenderBatch", [typeof(long), typeof(byte[])], async (args, _) =>
        {
            Interlocked.Increment(ref _renderBatches);
            await connection.SendAsync("OnRenderCompleted", Convert.ToInt64(args[0], CultureInfo.InvariantCulture), null);
            _firstRender.TrySetResult();
        }, this);
        connection.On(BlazorPackProtocol.BeginInvokeJS, [typeof(long), typeof(string), typeof(string), typeof(int), typeof(long), typeof(int)], async (args, _) =>
        {
            var call = Interlocked.Increment(ref _interopCalls);
            var handle = Convert.ToInt64(args[0], CultureInfo.InvariantCulture);
            // A call that asks for a JS object reference (a module import, say) gets one, as a browser would give it;
            // later calls on it come back as calls on that instance and are answered like the rest.
            var result = args.Length > 3 && Convert.ToInt32(args[3], CultureInfo.InvariantCulture) == JSObjectReferenceResult
                ? $"{{\"__jsObjectId\":{call}}}"
                : "null";
            await connection.SendAsync("EndInvokeJSFromDotNet", handle, true, $"[{handle},true,{result}]");
        }, this);
        connection.On<string>("JS.Error", message =>
        {
            _error = "JS.Error: " + message;
            _firstRender.TrySetException(new InvalidOperationException(_error));
        });
        connection.Closed += e =>
        {
            if (!_closing)
            {
                _error ??= "closed by the server" + (e is null ? "" : ": " + e.Message);
                _firstRender.TrySetException(new InvalidOperationException(_error));
            }
            return Task.CompletedTask;
        };
    }

    public long RenderBatches => Interlocked.Read(ref _renderBatches);

    public long InteropCalls => Interlocked.Read(ref _interopCalls);

    /// <summary>What went wrong with the circuit after it started, if anything (a JS.Error, or the server closing it).</summary>
    public string? Error => _error;

    /// <summary>Opens the circuit of a page whose HTML has been read, and waits for its first render batch.</summary>
    public static async Task<BlazorCircuit> OpenAsync(Uri address, string page, string html, HttpClient http, CancellationToken cancellationToken)
    {
        var markers = PageMarkup.ServerComponentMarkers(html);
        if (markers.Count == 0)
        {
            throw new InvalidOperationException($"{page} carries no interactive server component marker.");
        }
        var builder = new HubConnectionBuilder().WithUrl(new Uri(address, "/_blazor"), o => o.Transports = HttpTransportType.WebSockets);
        builder.Services.AddSingleton<IHubProtocol>(new BlazorPackProtocol());
        var circuit = new BlazorCircuit(builder.Build(), http);
        try
        {
            await circuit._connection.StartAsync(cancellationToken);
            var baseUri = new Uri(address, "/").ToString();
            circuit._secret = await circuit._connection.InvokeAsync<string?>("StartCircuit", baseUri, new Uri(address, page).ToString(), "[]", "", cancellationToken)
                ?? throw new InvalidOperationException("StartCircuit answered no circuit: " + (circuit._error ?? "no reason given"));
            var operations = new JsonObject
            {
                ["batchId"] = 1,
                ["operations"] = new JsonArray(markers.Select((marker, i) => (JsonNode)new JsonObject
                {
                    ["type"] = "add",
                    ["ssrComponentId"] = i + 1,
                    ["marker"] = JsonNode.Parse(marker.GetRawText()),
                }).ToArray()),
            };
            await circuit._connection.SendAsync("UpdateRootComponents", operations.ToJsonString(), PageMarkup.ComponentState(html), cancellationToken);
            await circuit._firstRender.Task.WaitAsync(cancellationToken);
            return circuit;
        }
        catch
        {
            await circuit.DisposeAsync();
            throw;
        }
    }

    /// <summary>The tab closes: the disconnect beacon, then the WebSocket.</summary>
    public async ValueTask DisposeAsync()
    {
        _closing = true;
        if (_secret is not null)
        {
            try
            {
                using var form = new FormUrlEncodedContent([new("circuitId", _secret)]);
                using var answer = await _http.PostAsync(new Uri("/_blazor/disconnect", UriKind.Relative), form);
            }
            catch (HttpRequestException)
            {
                // A beacon is fire-and-forget in the browser too; the WebSocket's close below still ends the circuit.
            }
        }
        await _connection.DisposeAsync();
    }
}
