using System.Text.Json;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using WeightShare.Engine.Codecs.Paper;
using WeightShare.Engine.Compression;
using WeightShare.Engine.Datasets;
using WeightShare.Engine.Pipeline;
using WeightShare.Jobs.Catalog;
using WeightShare.Jobs.Data;
using WeightShare.Jobs.Events;
using WeightShare.Jobs.Runs;

namespace WeightShare.Jobs.Tests;

/// <summary>
/// One process's worth of the job layer over a data directory: a real SQLite file, the file store and in-memory
/// Hangfire storage. A second host over the same directory is what a restart looks like.
/// </summary>
internal sealed class JobsHost : IAsyncDisposable
{
    private readonly ServiceProvider _services;
    private BackgroundJobServer? _server;

    public JobsHost(string dataDirectory, RecordingRunEvents? events = null, IDictionary<string, string?>? settings = null)
    {
        DataDirectory = dataDirectory;
        Events = events ?? new RecordingRunEvents();
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["WeightShare:DataDirectory"] = dataDirectory,
                ["WeightShare:CancelPollInterval"] = "00:00:00.050",
            })
            .AddInMemoryCollection(settings ?? new Dictionary<string, string?>())
            .Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IRunEvents>(Events);
        services.AddJobs(configuration);
        _services = services.BuildServiceProvider();
    }

    public string DataDirectory { get; }

    public RecordingRunEvents Events { get; }

    public IServiceProvider Services => _services;

    public T Get<T>() where T : notnull => _services.GetRequiredService<T>();

    public WeightShareDbContext Db() => Get<IDbContextFactory<WeightShareDbContext>>().CreateDbContext();

    /// <summary>Tiny settings from the brief: a run takes seconds on the fixture CNN.</summary>
    public static RunSettings TinySettings => new()
    {
        Codec = PaperCodec.CodecId,
        ValidationSamples = 300,
        Search = new SearchSettings(Population: 8, Generations: 4, KMin: 2, KMax: 64, Seed: 1),
    };

    public Task MigrateAsync() => Get<DatabaseMigrator>().MigrateAsync();

    public async Task<Model> AddFixtureModelAsync()
    {
        await using var file = File.OpenRead(Fixture("fmnist_cnn.pt"));
        return await Get<ModelCatalog>().AddAsync(file, "fmnist_cnn.pt");
    }

    public async Task<Dataset> AddFixtureDatasetAsync()
    {
        await using var images = File.OpenRead(Fixture("eval-images-idx3-ubyte.gz"));
        await using var labels = File.OpenRead(Fixture("eval-labels-idx1-ubyte.gz"));
        using var measured = JsonDocument.Parse(File.ReadAllText(Fixture("fixtures.json")));
        var mean = measured.RootElement.GetProperty("mean").GetDouble();
        var std = measured.RootElement.GetProperty("std").GetDouble();
        return await Get<DatasetCatalog>().AddAsync(
            [new DatasetUpload(images, "eval-images-idx3-ubyte.gz"), new DatasetUpload(labels, "eval-labels-idx1-ubyte.gz")],
            new Preprocessing(1 / 255.0, [mean], [std]));
    }

    /// <summary>A migrated database with the fixture model and dataset and one queued run.</summary>
    public async Task<string> CreateRunAsync(RunSettings? settings = null)
    {
        var model = await AddFixtureModelAsync();
        var dataset = await AddFixtureDatasetAsync();
        var run = await Get<RunCommands>().CreateAsync(model.Id, dataset.Id, settings ?? TinySettings);
        return run.Id;
    }

    public Task RunJobAsync(string runId, CancellationToken cancellationToken = default) =>
        ActivatorUtilities.CreateInstance<CompressionRunJob>(_services).RunAsync(runId, cancellationToken);

    public async Task<Run> RunAsync(string runId)
    {
        await using var db = Db();
        return await db.Runs.AsNoTracking().SingleAsync(r => r.Id == runId);
    }

    public async Task<List<Generation>> GenerationsAsync(string runId)
    {
        await using var db = Db();
        return await db.Generations.AsNoTracking().Where(g => g.RunId == runId).OrderBy(g => g.Number).ToListAsync();
    }

    public async Task<List<Solution>> SolutionsAsync(string runId)
    {
        await using var db = Db();
        var solutions = await db.Solutions.AsNoTracking().Include(s => s.CompressedFile).Include(s => s.CheckpointFile)
            .Where(s => s.RunId == runId).ToListAsync();
        return solutions.OrderBy(s => Parameters(s).Values.ToArray(), GeneOrder.Instance).ToList();
    }

    /// <summary>A solution's genes by name, as stored.</summary>
    public static Dictionary<string, int> Parameters(Solution solution) =>
        JsonSerializer.Deserialize<Dictionary<string, int>>(solution.ParametersJson)!;

    /// <summary>A solution's gene k (the paper's and the scalar codec's first gene).</summary>
    public static int K(Solution solution) => Parameters(solution)["k"];

    /// <summary>What a resumed run is compared on: every solution's genes, values, refinement, test accuracy and file size.</summary>
    public async Task<List<(string Parameters, int SharedValues, bool Refined, double? TestAccuracy, long? CompressedBytes)>> SolutionFiguresAsync(string runId) =>
        (await SolutionsAsync(runId)).Select(s => (s.ParametersJson, s.SharedValues, s.Merged, s.TestAccuracy, s.CompressedBytes)).OrderBy(s => s.ParametersJson, StringComparer.Ordinal).ToList();

    /// <summary>Runs <paramref name="settings"/> from start to end, uninterrupted, in a directory of its own: the reference a resumed run must reach.</summary>
    public static async Task<List<(string Parameters, int SharedValues, bool Refined, double? TestAccuracy, long? CompressedBytes)>> StraightRunAsync(RunSettings settings)
    {
        using var directory = new TempDirectory();
        await using var host = new JobsHost(directory.Path);
        await host.MigrateAsync();
        var id = await host.CreateRunAsync(settings);
        await host.RunJobAsync(id);
        Assert.Equal(RunStatus.Succeeded, (await host.RunAsync(id)).Status);
        return await host.SolutionFiguresAsync(id);
    }

    public void StartServer() => _server = new BackgroundJobServer(
        new BackgroundJobServerOptions { WorkerCount = 1, Activator = new ServiceProviderJobActivator(_services) },
        Get<JobStorage>());

    /// <summary>Polls the database until the run reaches a final status or the time is up.</summary>
    public async Task<Run> WaitForFinalAsync(string runId, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var run = await RunAsync(runId);
            if (run.IsFinal || DateTime.UtcNow > deadline)
            {
                return run;
            }
            await Task.Delay(100);
        }
    }

    public static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "fixtures", name);

    public async ValueTask DisposeAsync()
    {
        _server?.SendStop();
        _server?.Dispose();
        await _services.DisposeAsync();
        // Pooled SQLite connections keep the file open; the temp directory can only go once they are closed.
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    }
}
