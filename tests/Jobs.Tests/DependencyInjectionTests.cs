using Hangfire;
using Hangfire.InMemory;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using WeightShare.Jobs.Events;

namespace WeightShare.Jobs.Tests;

public sealed class DependencyInjectionTests
{
    [Fact]
    public void AddJobs_NoSettings_DefaultsToDataDirectoryOneWorkerAndInMemoryStorage()
    {
        using var services = Build([]);

        var options = services.GetRequiredService<IOptions<WeightShareOptions>>().Value;

        Assert.Equal(Path.GetFullPath("data"), Path.GetFullPath(options.DataDirectory));
        Assert.Equal(1, options.WorkerCount);
        Assert.Equal(JobStorageKind.InMemory, options.Storage);
        Assert.IsType<InMemoryStorage>(services.GetRequiredService<JobStorage>());
        Assert.IsType<NullRunEvents>(services.GetRequiredService<IRunEvents>());
    }

    [Fact]
    public void AddJobs_WeightShareSection_BindsEverySetting()
    {
        using var services = Build(new()
        {
            ["WeightShare:DataDirectory"] = "/srv/weightshare",
            ["WeightShare:WorkerCount"] = "3",
            ["WeightShare:Storage"] = "PostgreSql",
            ["WeightShare:PostgreSqlConnection"] = "Host=db;Database=hangfire",
        });

        var options = services.GetRequiredService<IOptions<WeightShareOptions>>().Value;

        Assert.Equal("/srv/weightshare", options.DataDirectory);
        Assert.Equal(Path.Combine("/srv/weightshare", "weightshare.db"), options.DatabasePath);
        Assert.Equal(3, options.WorkerCount);
        Assert.Equal(JobStorageKind.PostgreSql, options.Storage);
        Assert.Equal("Host=db;Database=hangfire", options.PostgreSqlConnection);
    }

    [Fact]
    public void AddJobs_PostgreSqlWithoutConnection_RefusedNamingTheSetting()
    {
        using var services = Build(new() { ["WeightShare:Storage"] = "PostgreSql" });

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<WeightShareOptions>>().Value);

        Assert.Contains("WeightShare:PostgreSqlConnection", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddJobs_WithoutConfigurationArgument_ReadsTheHostsConfiguration()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["WeightShare:WorkerCount"] = "2" })
            .Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddJobs();
        using var provider = services.BuildServiceProvider();

        var options = provider.GetRequiredService<IOptions<WeightShareOptions>>().Value;

        Assert.Equal(2, options.WorkerCount);
    }

    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddJobs(configuration);
        return services.BuildServiceProvider();
    }
}
