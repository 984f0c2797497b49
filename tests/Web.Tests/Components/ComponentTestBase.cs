using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;
using WeightShare.Engine.Codecs;
using WeightShare.Engine.Metrics;
using WeightShare.Jobs.Runs;
using WeightShare.Web.Api;
using WeightShare.Web.Live;

namespace WeightShare.Web.Tests.Components;

/// <summary>A bUnit context with MudBlazor's services; JavaScript calls (Plotly, MudBlazor) answer with defaults.</summary>
public abstract class ComponentTestBase : BunitContext, IAsyncLifetime
{
    protected ComponentTestBase()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
        Services.AddSingleton(CodecRegistry.CreateDefault());
        Services.AddSingleton(MetricRegistry.CreateDefault());
    }

    /// <summary>Gives the pages the real query, command and notifier services of a host or job layer.</summary>
    protected void UseAppServices(IServiceProvider app)
    {
        Services.AddSingleton(app.GetRequiredService<RunQueries>());
        Services.AddSingleton(app.GetRequiredService<RunCommands>());
        Services.AddSingleton(app.GetRequiredService<RunNotifier>());
        Services.AddSingleton(app.GetRequiredService<CodecRegistry>());
        Services.AddSingleton(app.GetRequiredService<MetricRegistry>());
        // The pages listen for live events only when interactive, as they are on a circuit. Set last: it builds the renderer.
        SetRendererInfo(new Microsoft.AspNetCore.Components.RendererInfo("Server", isInteractive: true));
    }

    public Task InitializeAsync() => Task.CompletedTask;

    // MudBlazor's services are IAsyncDisposable only; xunit 2 would otherwise dispose the context synchronously.
    Task IAsyncLifetime.DisposeAsync() => DisposeAsync().AsTask();
}
