using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace WeightShare.Web.Tests.Infrastructure;

/// <summary>
/// The real web host (SQLite file, file store, in-memory Hangfire with its in-process server) over a data directory
/// of its own, removed on dispose. Only configuration differs from production; no service is replaced.
/// </summary>
public class WebAppFactory : WebApplicationFactory<Program>
{
    private readonly IReadOnlyDictionary<string, string?> _settings;

    public WebAppFactory()
        : this(new Dictionary<string, string?>())
    {
    }

    protected WebAppFactory(IReadOnlyDictionary<string, string?> settings) => _settings = settings;

    public string DataDirectory { get; } = Directory.CreateTempSubdirectory("wsw-web-").FullName;

    public string FilesDirectory => Path.Combine(DataDirectory, "files");

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("WeightShare:DataDirectory", DataDirectory);
        builder.UseSetting("WeightShare:CancelPollInterval", "00:00:00.050");
        builder.UseSetting("WeightShare:ProgressInterval", "00:00:00.200");
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }
        builder.ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Warning).AddProvider(new ServerErrors()));
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        // Pooled SQLite connections keep the file open; the directory can only go once they are closed.
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A file a finalising connection still holds is left for the OS; the tests are over.
        }
        GC.SuppressFinalize(this);
    }
}
