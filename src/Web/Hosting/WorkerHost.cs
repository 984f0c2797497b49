using Hangfire;
using Microsoft.Extensions.Options;
using WeightShare.Jobs;
using WeightShare.Jobs.Events;

namespace WeightShare.Web.Hosting;

/// <summary>
/// The worker role (WeightShare:Role = Worker): the same build as a process that runs compression jobs from the
/// PostgreSQL queue and serves no pages or API. Its run events reach the web processes as PostgreSQL notifications.
/// </summary>
public static class WorkerHost
{
    /// <summary>The configuration value that asks for a worker.</summary>
    public const string WorkerRole = "Worker";

    public static bool IsRequested(IConfiguration configuration) =>
        string.Equals(configuration?[$"{WeightShareOptions.SectionName}:Role"], WorkerRole, StringComparison.OrdinalIgnoreCase);

    /// <summary>A host that migrates the database, recovers abandoned runs and runs WorkerCount Hangfire workers.</summary>
    public static IHost Build(string[] args)
    {
        var builder = Host.CreateApplicationBuilder(args);
        var storage = builder.Configuration.GetValue($"{WeightShareOptions.SectionName}:Storage", JobStorageKind.InMemory);
        if (storage != JobStorageKind.PostgreSql)
        {
            throw new InvalidOperationException(
                "A worker process shares its queue and database with the web processes: set WeightShare:Storage to PostgreSql and WeightShare:PostgreSqlConnection (README, 'Scaling out').");
        }
        var services = builder.Services;
        services.AddSingleton<PostgreSqlRunEvents>();
        services.AddSingleton<IRunEvents>(provider => provider.GetRequiredService<PostgreSqlRunEvents>());
        services.AddJobs(builder.Configuration);
        services.AddHangfireBoundToThisHost();
        services.AddHangfireServer((provider, server) =>
        {
            var options = provider.GetRequiredService<IOptions<WeightShareOptions>>().Value;
            server.WorkerCount = options.WorkerCount;
            server.ServerName = options.WorkerName;
        });
        return builder.Build();
    }
}
