using System.Text.Json;
using System.Text.Json.Serialization;
using Hangfire;
using Hangfire.Dashboard;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using MudBlazor.Services;
using WeightShare.Jobs;
using WeightShare.Jobs.Events;
using WeightShare.Web.Access;
using WeightShare.Web.Api;
using WeightShare.Web.Components;
using WeightShare.Web.Health;
using WeightShare.Web.Hosting;
using WeightShare.Web.Hubs;
using WeightShare.Web.Live;

namespace WeightShare.Web;

/// <summary>The web host's registrations and pipeline, so Program.cs stays a table of contents.</summary>
public static class DependencyInjection
{
    /// <summary>How long the server waits for a browser to answer a JS interop call.</summary>
    public static readonly TimeSpan JSInteropTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Where the app listens when nothing says otherwise: this machine only.</summary>
    public const string DefaultUrls = "http://localhost:5080";

    public static WebApplicationBuilder AddWeb(this WebApplicationBuilder builder)
    {
        // The default address as the lowest-ranked source, so that --urls, ASPNETCORE_URLS and the Urls variable or
        // setting all override it (a Urls in appsettings.json would outrank ASPNETCORE_URLS).
        builder.Configuration.Sources.Insert(0, new Microsoft.Extensions.Configuration.Memory.MemoryConfigurationSource
        {
            InitialData = [new("urls", DefaultUrls)],
        });
        var services = builder.Services;
        services.AddOptions<WebOptions>().BindConfiguration(WeightShareOptions.SectionName)
            .Validate(o => o.MaxUploadBytes > 0, "WeightShare:MaxUploadBytes must be positive.")
            .Validate(o => o.MaxDecompressedBytes > 0, "WeightShare:MaxDecompressedBytes must be positive.")
            .Validate(o => o.MaxConcurrentHeavyRequests >= 1, "WeightShare:MaxConcurrentHeavyRequests must be at least 1.")
            .Validate(o => o.MaxQueuedHeavyRequests >= 0, "WeightShare:MaxQueuedHeavyRequests must be 0 or more.")
            .Validate(o => o.HeavyRequestQueueSeconds >= 1, "WeightShare:HeavyRequestQueueSeconds must be at least 1.")
            .ValidateOnStart();
        var maxUpload = builder.Configuration.GetSection(WeightShareOptions.SectionName).GetValue<long?>(nameof(WebOptions.MaxUploadBytes))
            ?? new WebOptions().MaxUploadBytes;
        services.AddHeavyRequestLimit();
        services.AddAccessControl();

        // Web's events first, so AddJobs keeps them instead of its no-op default. Embedded, a job's events go straight to
        // this process's pages and hub; scaled out, every process's jobs NOTIFY PostgreSQL and every web process's
        // listener hands them on, so a run reaches each listener once whichever process executes it.
        services.AddSingleton<RunNotifier>();
        services.AddSingleton<RunEventsBroadcaster>();
        services.AddSingleton<PostgreSqlRunEvents>();
        services.AddSingleton<IRunEvents>(provider =>
            provider.GetRequiredService<IOptions<WeightShareOptions>>().Value.Storage == JobStorageKind.PostgreSql
                ? provider.GetRequiredService<PostgreSqlRunEvents>()
                : provider.GetRequiredService<RunEventsBroadcaster>());
        services.AddHostedService<PostgreSqlRunEventListener>();
        services.AddJobs(builder.Configuration);
        services.AddHangfireBoundToThisHost();
        // A web process of a scale-out may run no jobs at all (WorkerCount 0): then it starts no Hangfire server.
        if (builder.Configuration.GetSection(WeightShareOptions.SectionName).GetValue(nameof(WeightShareOptions.WorkerCount), 1) > 0)
        {
            services.AddHangfireServer((provider, server) =>
            {
                var options = provider.GetRequiredService<IOptions<WeightShareOptions>>().Value;
                server.WorkerCount = options.WorkerCount;
                server.ServerName = options.WorkerName;
            });
        }

        services.AddSingleton<RunQueries>();
        // Routing refuses a wrong content type (the endpoints' Accepts metadata) or method before any handler runs, with
        // a bare status; api.md promises every error a detail that says what is wrong.
        services.AddProblemDetails(o => o.CustomizeProblemDetails = context =>
        {
            var request = context.HttpContext.Request;
            context.ProblemDetails.Detail ??= context.ProblemDetails.Status switch
            {
                StatusCodes.Status415UnsupportedMediaType =>
                    $"{request.Method} {request.Path} does not take content of type '{request.ContentType}': send uploads as multipart/form-data with the file in a field named 'file', and run settings and a run's notes (PATCH) as application/json.",
                StatusCodes.Status405MethodNotAllowed => $"{request.Path} does not answer {request.Method}; see /openapi/v1.json.",
                StatusCodes.Status404NotFound => $"There is nothing at {request.Path}; see /openapi/v1.json.",
                _ => null,
            };
        });
        services.AddExceptionHandler<ProblemExceptionHandler>();
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase)));
        services.AddOpenApi(openApi => openApi.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "WeightShareWeb API";
            document.Info.Description = "Upload a model and validation data, start a run, follow it (also live on the SignalR hub /hubs/runs) and download " +
                "the compressed files. docs/api.md in the repository is the contract with every error message; with access tokens configured, " +
                // A code span: the description is Markdown, where a bare <token> is an HTML tag and shows as nothing.
                "send `Authorization: Bearer <token>`.";
            return Task.CompletedTask;
        }));
        services.AddHealthChecks()
            .AddCheck<DatabaseHealthCheck>("database")
            .AddCheck<JobStorageHealthCheck>("jobStorage");

        // Uploads are spooled to disk by ASP.NET; the limits below are the only cap on their size.
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = maxUpload + (1 << 20));
        services.Configure<FormOptions>(form => form.MultipartBodyLengthLimit = maxUpload);

        services.AddSignalR().AddJsonProtocol(o => o.PayloadSerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase)));
        // A JS call still pending when a tab closes is not cancelled with its circuit; whatever awaits it in a
        // component's disposal holds up the circuit's disposal and any shutdown until the call times out. Interop
        // calls here take milliseconds, so the default of a minute only lengthens those waits.
        services.AddRazorComponents().AddInteractiveServerComponents(circuit => circuit.JSInteropDefaultCallTimeout = JSInteropTimeout);
        services.AddMudServices();
        services.AddHttpContextAccessor();
        // Package assets (_content/MudBlazor, _content/Plotly.Blazor) are served from the build output in any environment.
        builder.WebHost.UseStaticWebAssets();
        return builder;
    }

    public static WebApplication MapWeb(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseReadableStatusCodePages();
        app.UseStaticFiles();
        // Explicit, so the limiter after it sees which endpoint (and so which policy) a request is for.
        app.UseRouting();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();
        app.UseAntiforgery();

        app.MapSignIn();
        app.MapHealthChecks("/health", new Microsoft.AspNetCore.Diagnostics.HealthChecks.HealthCheckOptions
        {
            ResponseWriter = (context, report) =>
            {
                context.Response.ContentType = "application/json";
                return context.Response.WriteAsJsonAsync(new { status = report.Status.ToString() });
            },
        }).AllowAnonymous();
        app.MapOpenApi();
        app.MapApiExplorer();
        app.MapCatalogEndpoints();
        app.MapRunEndpoints();
        app.MapDownloadEndpoints();
        app.MapHub<RunsHub>("/hubs/runs");

        var web = app.Services.GetRequiredService<IOptions<WebOptions>>().Value;
        app.MapHangfireDashboard("/hangfire", new DashboardOptions
        {
            Authorization = [new DashboardAccessFilter(app.Services.GetRequiredService<AccessTokens>(), web.DashboardRemoteAccess)],
            DisplayStorageConnectionString = false,
        });

        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        return app;
    }
}
