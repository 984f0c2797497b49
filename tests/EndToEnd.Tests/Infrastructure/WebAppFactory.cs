using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace WeightShare.EndToEnd.Tests.Infrastructure;

/// <summary>
/// The real app (SQLite, the in-process Hangfire server, static assets from the build's manifest) on Kestrel at a free
/// loopback port, so a browser can reach it; its data directory is its own and is deleted on dispose.
/// </summary>
public sealed class WebAppFactory : WebApplicationFactory<Program>
{
    public WebAppFactory()
    {
        DataDirectory = Directory.CreateTempSubdirectory("wsw-e2e-").FullName;
        UseKestrel(0);
    }

    public string DataDirectory { get; }

    /// <summary>The app's warnings and errors since it started.</summary>
    public ServerLog Log { get; } = new();

    /// <summary>Starts the server on first use and answers its address, for example http://127.0.0.1:40123/.</summary>
    public Uri ServerAddress
    {
        get
        {
            StartServer();
            var addresses = Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses;
            var address = addresses.FirstOrDefault() ?? throw new InvalidOperationException("Kestrel reports no listening address.");
            return new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal).TrimEnd('/') + "/");
        }
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("WeightShare:DataDirectory", DataDirectory);
        // The content root (src/Web) has no appsettings.json; keep the test log to what is worth reading.
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        builder.ConfigureLogging(logging => logging.AddProvider(Log));
        // A cancel made by the page reaches the running job within a few evaluations instead of a quarter second.
        builder.UseSetting("WeightShare:CancelPollInterval", "00:00:00.050");
    }

    public override async ValueTask DisposeAsync()
    {
        try
        {
            await base.DisposeAsync();
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(DataDirectory, recursive: true);
            }
            catch (IOException)
            {
                // A file a finalising connection still holds is left to the OS; the tests are over.
            }
        }
    }
}
