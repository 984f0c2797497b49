using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using WeightShare.Jobs;
using WeightShare.Jobs.Data;
using WeightShare.Web.Api;
using WeightShare.Web.Live;

namespace WeightShare.Web.Tests.Infrastructure;

/// <summary>
/// The job layer without a web host or job server (AddJobs over a migrated SQLite file in a temp directory) with the
/// query and notifier services the pages use: enough to render a page against real, empty storage.
/// </summary>
public sealed class JobsServices : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("wsw-pages-").FullName;
    private ServiceProvider? _provider;

    public IServiceProvider Services => _provider ?? throw new InvalidOperationException("Not initialised.");

    public async Task InitializeAsync()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["WeightShare:DataDirectory"] = _directory })
            .Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<RunNotifier>();
        services.AddSingleton<RunQueries>();
        services.AddJobs(configuration);
        _provider = services.BuildServiceProvider();
        await _provider.GetRequiredService<DatabaseMigrator>().MigrateAsync();
    }

    public async Task DisposeAsync()
    {
        if (_provider is not null)
        {
            await _provider.DisposeAsync();
        }
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // Left for the OS when a finalising connection still holds the file.
        }
    }
}
