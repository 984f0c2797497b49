using Bunit;
using MudBlazor.Services;

namespace WeightShare.Web.Tests.Components;

/// <summary>A bUnit context with MudBlazor's services; JavaScript calls (Plotly, MudBlazor) answer with defaults.</summary>
public abstract class ComponentTestBase : BunitContext, IAsyncLifetime
{
    protected ComponentTestBase()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
    }

    public Task InitializeAsync() => Task.CompletedTask;

    // MudBlazor's services are IAsyncDisposable only; xunit 2 would otherwise dispose the context synchronously.
    Task IAsyncLifetime.DisposeAsync() => DisposeAsync().AsTask();
}
