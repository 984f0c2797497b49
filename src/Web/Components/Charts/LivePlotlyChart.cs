using Microsoft.JSInterop;
using Plotly.Blazor;

namespace WeightShare.Web.Components.Charts;

/// <summary>
/// A <see cref="PlotlyChart"/> whose drawing calls end when the page closes. Plotly.Blazor draws with calls that have
/// no timeout and holds a lock while one is pending; its DisposeAsync takes that lock. A tab closed while a draw was in
/// flight therefore never finished disposing: the circuit, its /_blazor/disconnect request and every later shutdown
/// (which gives up after 30 s) waited for an answer the closed tab could not send. Here every draw is cancelled when
/// the component is disposed and fails after <see cref="DependencyInjection.JSInteropTimeout"/> otherwise.
/// The <c>Hidden</c> parameter of the base class is not supported.
/// </summary>
public sealed class LivePlotlyChart : PlotlyChart, IAsyncDisposable
{
    private readonly CancellationTokenSource _disposed = new();

    /// <summary>Draws the chart again from its current Data, Layout and Config; does nothing once the page has closed.</summary>
    public Task RedrawAsync() => DrawAsync(React);

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (firstRender)
        {
            await DrawAsync(NewPlot);
            AfterRender?.Invoke();
        }
    }

    async ValueTask IAsyncDisposable.DisposeAsync()
    {
        await _disposed.CancelAsync();
        await DisposeAsync();
        _disposed.Dispose();
    }

    private async Task DrawAsync(Func<CancellationToken, Task> draw)
    {
        if (_disposed.IsCancellationRequested)
        {
            return;
        }
        using var call = CancellationTokenSource.CreateLinkedTokenSource(_disposed.Token);
        call.CancelAfter(DependencyInjection.JSInteropTimeout);
        try
        {
            await draw(call.Token);
        }
        catch (OperationCanceledException) when (_disposed.IsCancellationRequested)
        {
            // The page closed mid-draw: nothing is left to draw on.
        }
        catch (JSDisconnectedException)
        {
            // The tab closed before the circuit learnt of it (the load test saw it on a first draw): nothing is left
            // to draw on, and the page's error boundary has nothing to tell anyone.
        }
    }
}
