using System.Globalization;
using System.Security.Cryptography;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using WeightShare.Engine.Pipeline;
using WeightShare.Jobs.Runs;

namespace WeightShare.Jobs.Tests;

/// <summary>
/// A database made by the release at d8c497f (tests/fixtures/legacy/README.md): finished scalar, paper and data-free
/// runs, a scalar run killed (<c>kill -9</c>) after its second generation and a run canceled in the queue. It migrates on
/// start-up with every run and solution as that release stored it, and the killed run resumes to the front its twin
/// (the same settings) ran straight to. The old values are read raw, and only from columns later schemas keep.
/// </summary>
public sealed class LegacyDatabaseD8c497fTests : IDisposable
{
    private const string Scalar = "01a24e84d3bf77abb47f2857f70dc243";
    private const string Paper = "01a24e850cab765592fb0f8ada35376b";
    private const string DataFree = "01a24e8510c77fd592d7a87324028675";
    private const string Killed = "01a24e85777d7e87a89d433c9a4a23e8";
    private const string Canceled = "01a24e8577fd7b5883c5e7f77cf4b3ea";

    private readonly TempDirectory _directory = new();

    [Fact]
    public async Task StartAsync_DatabaseOfReleaseD8c497f_MigratesEveryRunIntactAndResumesTheKilledRunToItsTwinsFront()
    {
        // Arrange: the old database, the fixture uploads back under the names the store gives them, and what it holds.
        var database = Path.Combine(_directory.Path, "weightshare.db");
        File.Copy(JobsHost.Fixture("legacy/weightshare-d8c497f.db"), database);
        Directory.CreateDirectory(Path.Combine(_directory.Path, "files"));
        foreach (var fixture in new[] { "fmnist_cnn.pt", "eval-images-idx3-ubyte.gz", "eval-labels-idx1-ubyte.gz" })
        {
            var bytes = await File.ReadAllBytesAsync(JobsHost.Fixture(fixture));
            await File.WriteAllBytesAsync(Path.Combine(_directory.Path, "files", Convert.ToHexStringLower(SHA256.HashData(bytes))), bytes);
        }
        var runsBefore = (await ReadRawAsync(database, "SELECT Id, Status, Phase, SettingsJson, Evaluations, FinishedAt FROM Runs"))
            .ToDictionary(r => (string)r[0]!);
        var solutionsBefore = (await ReadRawAsync(database,
                "SELECT RunId, ParametersJson, Codec, Description, SharedValues, ValidationMetric, TestAccuracy, CompressedFileId FROM Solutions"))
            .ToDictionary(r => ((string)r[0]!, (string)r[1]!));
        var killedStates = (await ReadRawAsync(database, $"SELECT StateJson FROM Generations WHERE RunId = '{Killed}' ORDER BY Number"))
            .Select(r => (string)r[0]!).ToList();
        // The fixture is what the README says: the killed run stopped mid-search after two stored generations.
        Assert.Equal(("Running", "Search"), ((string)runsBefore[Killed][1]!, (string)runsBefore[Killed][2]!));
        Assert.Equal(2, killedStates.Count);
        Assert.DoesNotContain(solutionsBefore.Keys, k => k.Item1 == Killed);

        // Act: a process of this release starts on it (migrate, then recover) and runs what recovery enqueued.
        await using var host = new JobsHost(_directory.Path);
        foreach (var service in host.Services.GetServices<IHostedService>())
        {
            await service.StartAsync(CancellationToken.None);
        }
        host.StartServer();
        var resumed = await host.WaitForFinalAsync(Killed, TimeSpan.FromMinutes(5));

        // Assert: nothing pending; every run with its settings, and the finished ones as they ended.
        await using var db = host.Db();
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        var runs = await db.Runs.AsNoTracking().ToDictionaryAsync(r => r.Id);
        Assert.Equal([Scalar, Paper, DataFree, Killed, Canceled], runs.Keys.Order(StringComparer.Ordinal));
        foreach (var id in new[] { Scalar, Paper, DataFree, Killed })
        {
            Assert.Equal((RunStatus.Succeeded, PipelinePhase.Done), (runs[id].Status, runs[id].Phase));
        }
        Assert.Equal((RunStatus.Canceled, PipelinePhase.Baseline), (runs[Canceled].Status, runs[Canceled].Phase));
        foreach (var (id, run) in runs)
        {
            var old = runsBefore[id];
            Assert.Equal((string)old[3]!, run.SettingsJson);
            if (id != Killed)
            {
                var finishedAt = DateTime.SpecifyKind(DateTime.Parse((string)old[5]!, CultureInfo.InvariantCulture), DateTimeKind.Utc);
                Assert.Equal(((long)old[4]!, finishedAt), ((long)run.Evaluations, run.FinishedAt!.Value));
            }
        }

        // The finished runs' solutions keep their figures, descriptions, genes and files.
        var solutions = await db.Solutions.AsNoTracking().Where(s => s.RunId != Killed).ToListAsync();
        Assert.Equal(solutionsBefore.Keys.Order(), solutions.Select(s => (s.RunId, s.ParametersJson)).Order());
        foreach (var solution in solutions)
        {
            var old = solutionsBefore[(solution.RunId, solution.ParametersJson)];
            Assert.Equal(
                ((string)old[2]!, (string)old[3]!, (long)old[4]!, (double)old[5]!, (double?)old[6], (string?)old[7]),
                (solution.Codec, solution.Description, (long)solution.SharedValues, solution.ValidationMetric, solution.TestAccuracy, solution.CompressedFileId));
        }

        // The killed run kept its two generations and finished with its twin's solutions and byte-identical .wsz files
        // (a calibrated one's bytes depend on the CPU: WithoutCalibratedFiles).
        Assert.Equal(RunStatus.Succeeded, resumed.Status);
        var generations = await host.GenerationsAsync(Killed);
        Assert.Equal([1, 2, 3, 4], generations.Select(g => g.Number));
        Assert.Equal(killedStates, generations.Take(2).Select(g => g.StateJson));
        var twin = await OutcomeAsync(host, Scalar);
        Assert.Equal(4, twin.Count);
        Assert.Contains(twin, s => s.Item4);
        Assert.Equal(WithoutCalibratedFiles(twin), WithoutCalibratedFiles(await OutcomeAsync(host, Killed)));
    }

    /// <summary>
    /// The outcome with the .wsz hash of each calibrated solution left out. A calibration trains in libtorch, whose float
    /// kernels differ with the CPU (AVX-512 or not): on another machine than the one that wrote the fixture, the
    /// calibrated values differ in their last bits (an AMD EPYC without AVX-512 wrote other bytes, with the same
    /// validation and test figures, before and after coder=auto). Everything else of a calibrated solution, and every
    /// byte of the others, must match.
    /// </summary>
    private static List<(string, string, int, bool, double, double?, string?)> WithoutCalibratedFiles(List<(string, string, int, bool, double, double?, string?)> outcome) =>
        [.. outcome.Select(s => s.Item4 ? s with { Item7 = null } : s)];

    /// <summary>What the resumed run must reproduce: per solution, its genes, line, values, figures and .wsz content.</summary>
    private static async Task<List<(string, string, int, bool, double, double?, string?)>> OutcomeAsync(JobsHost host, string runId) =>
        (await host.SolutionsAsync(runId))
            .Select(s => (s.ParametersJson, s.Description, s.SharedValues, s.Merged, s.ValidationMetric, s.TestAccuracy, s.CompressedFile?.Sha256))
            .OrderBy(s => s.ParametersJson, StringComparer.Ordinal).ToList();

    /// <summary>Every row of <paramref name="sql"/> as SQLite returns it (long, double, string; null for NULL).</summary>
    private static async Task<List<object?[]>> ReadRawAsync(string database, string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={database};Pooling=False");
        await connection.OpenAsync();
        await using var command = new SqliteCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<object?[]>();
        while (await reader.ReadAsync())
        {
            var row = new object[reader.FieldCount];
            reader.GetValues(row);
            rows.Add(Array.ConvertAll(row, v => v is DBNull ? null : v));
        }
        return rows;
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _directory.Dispose();
    }
}
