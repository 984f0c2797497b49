using Hangfire;
using Hangfire.InMemory;
using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using WeightShare.Engine.Codecs;
using WeightShare.Engine.Compression;
using WeightShare.Engine.Metrics;
using WeightShare.Jobs.Catalog;
using WeightShare.Jobs.Data;
using WeightShare.Jobs.Events;
using WeightShare.Jobs.Runs;
using WeightShare.Jobs.Storage;

namespace WeightShare.Jobs;

/// <summary>Registers the job layer.</summary>
public static class DependencyInjection
{
    /// <summary>
    /// Options from the "WeightShare" section, the SQLite context factory (DataDirectory/weightshare.db), the file
    /// store, catalogs, run commands, the run job, recovery, a no-op <see cref="IRunEvents"/> unless one is already
    /// registered, and the Hangfire <see cref="JobStorage"/> and <see cref="IBackgroundJobClient"/>: in-memory by
    /// default, PostgreSQL when WeightShare:Storage is "PostgreSql" (WeightShare:PostgreSqlConnection then holds the
    /// Npgsql connection string). The host runs the Hangfire server on the same storage, for example
    /// <c>services.AddHangfire((sp, c) =&gt; c.UseStorage(sp.GetRequiredService&lt;JobStorage&gt;()))</c> and
    /// <c>AddHangfireServer(o =&gt; o.WorkerCount = WeightShare:WorkerCount)</c>; register AddJobs first so that its
    /// start-up service migrates the database before the server takes jobs.
    /// </summary>
    /// <param name="services">The host's services.</param>
    /// <param name="configuration">Where the "WeightShare" section is read; null reads the host's registered IConfiguration.</param>
    public static IServiceCollection AddJobs(this IServiceCollection services, IConfiguration? configuration = null)
    {
        var options = services.AddOptions<WeightShareOptions>();
        options = configuration is null
            ? options.BindConfiguration(WeightShareOptions.SectionName)
            : options.Bind(configuration.GetSection(WeightShareOptions.SectionName));
        options
            .PostConfigure<IServiceProvider>((options, provider) =>
            {
                // api.md: a relative data directory lives under the content root, not wherever the process started.
                if (!Path.IsPathRooted(options.DataDirectory) && provider.GetService<IHostEnvironment>() is { } host)
                {
                    options.DataDirectory = Path.Combine(host.ContentRootPath, options.DataDirectory);
                }
            })
            .Validate(o => o.WorkerCount >= 1 || (o.WorkerCount == 0 && o.Storage == JobStorageKind.PostgreSql),
                "WeightShare:WorkerCount must be at least 1; 0 (a process that serves pages and runs no jobs) needs WeightShare:Storage PostgreSql and a worker process.")
            .Validate(o => o.RunLease > TimeSpan.Zero && o.JobInvisibilityTimeout > o.RunLease,
                "WeightShare:JobInvisibilityTimeout must be longer than WeightShare:RunLease (a killed worker's job comes back only once its run's lease has lapsed).")
            .Validate(o => o.Storage != JobStorageKind.PostgreSql || !string.IsNullOrWhiteSpace(o.PostgreSqlConnection),
                "WeightShare:PostgreSqlConnection is required when WeightShare:Storage is PostgreSql.");

        // One model, two providers: the embedded SQLite file, or the PostgreSQL server every process of a scale-out shares.
        services.AddSingleton<IDbContextFactory<WeightShareDbContext>>(provider =>
        {
            var settings = provider.GetRequiredService<IOptions<WeightShareOptions>>();
            return settings.Value.Storage == JobStorageKind.PostgreSql ? new PostgreSqlContextFactory(settings) : new SqliteContextFactory(settings);
        });
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IRunEvents, NullRunEvents>();
        // The codecs runs may name; a host registers its own registry first to add codecs (CodecRegistry.CreateDefault().Register(...)).
        services.TryAddSingleton(_ => CodecRegistry.CreateDefault());
        // Likewise the metrics (MetricRegistry.CreateDefault().Register(...)); the resolver reads both.
        services.TryAddSingleton(_ => MetricRegistry.CreateDefault());
        services.TryAddSingleton<SettingsResolver>();
        services.AddSingleton<FileStore>();
        services.AddSingleton<ModelCatalog>();
        services.AddSingleton<DatasetCatalog>();
        services.AddSingleton<DatabaseMigrator>();
        services.AddSingleton<RunCommands>();
        services.AddSingleton<RunRecovery>();
        services.AddTransient<CompressionRunJob>();
        services.TryAddSingleton(provider => CreateStorage(provider.GetRequiredService<IOptions<WeightShareOptions>>().Value));
        services.TryAddSingleton<IBackgroundJobClient>(provider => new BackgroundJobClient(provider.GetRequiredService<JobStorage>()));
        services.AddHostedService<JobsStartupService>();
        return services;
    }

    /// <summary>The Hangfire storage the options name.</summary>
    public static JobStorage CreateStorage(WeightShareOptions options) => options.Storage switch
    {
        JobStorageKind.PostgreSql => CreatePostgreSqlStorage(options, options.PostgreSqlConnection
            ?? throw new InvalidOperationException("WeightShare:PostgreSqlConnection is required when WeightShare:Storage is PostgreSql.")),
        _ => new InMemoryStorage(new InMemoryStorageOptions()),
    };

    private static PostgreSqlStorage CreatePostgreSqlStorage(WeightShareOptions options, string connectionString)
    {
        // Hangfire's schema is installed by the first storage made; processes starting together take turns.
        using var connection = new Npgsql.NpgsqlConnection(connectionString);
        connection.Open();
        using (var take = new Npgsql.NpgsqlCommand($"SELECT pg_advisory_lock({HangfireSchemaLock})", connection))
        {
            take.ExecuteNonQuery();
        }
        try
        {
            return CreatePostgreSqlStorageUnlocked(options, connectionString);
        }
        finally
        {
            using var release = new Npgsql.NpgsqlCommand($"SELECT pg_advisory_unlock({HangfireSchemaLock})", connection);
            release.ExecuteNonQuery();
        }
    }

    // An arbitrary key of this product's advisory lock around Hangfire's schema installation.
    private const long HangfireSchemaLock = 0x57535700_48465343;

    private static PostgreSqlStorage CreatePostgreSqlStorageUnlocked(WeightShareOptions options, string connectionString)
    {
        var storageOptions = new PostgreSqlStorageOptions
        {
            PrepareSchemaIfNecessary = true,
            // A live worker keeps its job invisible by a heartbeat however long the run takes; a killed one's job is
            // offered to another worker once the timeout passes without one.
            UseSlidingInvisibilityTimeout = true,
            InvisibilityTimeout = options.JobInvisibilityTimeout,
            QueuePollInterval = options.QueuePollInterval,
        };
        return new PostgreSqlStorage(new NpgsqlConnectionFactory(connectionString, storageOptions), storageOptions);
    }
}
