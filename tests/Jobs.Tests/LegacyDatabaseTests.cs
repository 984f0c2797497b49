using System.Security.Cryptography;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using WeightShare.Engine.Pipeline;
using WeightShare.Jobs.Runs;

namespace WeightShare.Jobs.Tests;

/// <summary>
/// A database made by main at 619db07 (tests/fixtures/legacy/README.md) migrates on start-up with its runs intact, and
/// a run that release left mid-search finishes with the new pipeline exactly as a straight run would.
/// </summary>
public sealed class LegacyDatabaseTests : IDisposable
{
    private const string Finished = "01a233d871267754b094a2f9c042ee3a";
    private const string FinishedF1 = "01a233d8d8cc7f7fab64b5d5f8c5194f";
    private const string Stopped = "01a233d920c4790690b997564a60b754";
    private const string Canceled = "01a233d92f157b7ab56cfcf28ff9b0d5";

    private readonly TempDirectory _directory = new();

    [Fact]
    public async Task StartAsync_DatabaseOfTheEarlierRelease_MigratesWithEveryRunIntactAndResumesTheStoppedOne()
    {
        // Arrange: the old database, and the fixture uploads back under the names the store gives them.
        var database = Path.Combine(_directory.Path, "weightshare.db");
        File.Copy(JobsHost.Fixture("legacy/weightshare-619db07.db"), database);
        Directory.CreateDirectory(Path.Combine(_directory.Path, "files"));
        foreach (var fixture in new[] { "fmnist_cnn.pt", "eval-images-idx3-ubyte.gz", "eval-labels-idx1-ubyte.gz" })
        {
            var bytes = await File.ReadAllBytesAsync(JobsHost.Fixture(fixture));
            await File.WriteAllBytesAsync(Path.Combine(_directory.Path, "files", Convert.ToHexStringLower(SHA256.HashData(bytes))), bytes);
        }
        var before = await ReadRawAsync(database);

        // Act: a process of this release starts on it (migrate, then recover) and runs what recovery enqueued.
        await using var host = new JobsHost(_directory.Path);
        foreach (var service in host.Services.GetServices<IHostedService>())
        {
            await service.StartAsync(CancellationToken.None);
        }
        host.StartServer();
        var resumed = await host.WaitForFinalAsync(Stopped, TimeSpan.FromMinutes(5));

        // Assert: nothing pending, every earlier run and solution as it was, named in the codec's terms.
        await using var db = host.Db();
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        var runs = await db.Runs.AsNoTracking().ToDictionaryAsync(r => r.Id);
        Assert.Equal([Finished, FinishedF1, Stopped, Canceled], runs.Keys.Order(StringComparer.Ordinal));
        Assert.Equal((RunStatus.Succeeded, PipelinePhase.Done), (runs[Finished].Status, runs[Finished].Phase));
        Assert.Equal((RunStatus.Canceled, PipelinePhase.Baseline), (runs[Canceled].Status, runs[Canceled].Phase));
        Assert.Equal(before.Runs[Finished], (runs[Finished].BaselineTestAccuracy, runs[Finished].Evaluations, runs[Finished].FinishedAt, runs[Finished].RefineSeconds));
        var solutions = await db.Solutions.AsNoTracking().Where(s => s.RunId != Stopped).ToListAsync();
        Assert.Equal(before.Solutions.Count, solutions.Count);
        foreach (var ((runId, k), old) in before.Solutions)
        {
            var solution = Assert.Single(solutions, s => s.RunId == runId && s.ParametersJson == $"{{\"k\":{k}}}");
            Assert.Equal("paper", solution.Codec);
            Assert.Equal(old.Merged ? $"k = {k} merged to {old.SharedValues} shared values" : $"k = {k}, {old.SharedValues} shared values", solution.Description);
            Assert.Equal(old.GroupStarts, solution.RefinementJson);
            Assert.Equal(old.TestAccuracy, solution.TestAccuracy);
            Assert.Equal(old.CompressedFileId, solution.CompressedFileId);
            Assert.Equal(solution.RunId == FinishedF1 ? old.ValidationMacroF1 : old.ValidationAccuracy, solution.ValidationMetric);
        }

        // The stopped run kept its two generations and finished as the same settings run straight through do.
        Assert.Equal(RunStatus.Succeeded, resumed.Status);
        Assert.Equal([1, 2, 3, 4], (await host.GenerationsAsync(Stopped)).Select(g => g.Number));
        Assert.Equal(before.StoppedGenerations, (await host.GenerationsAsync(Stopped)).Take(2).Select(g => g.StateJson));
        var finishedAsBefore = solutions.Where(s => s.RunId == Finished).OrderBy(JobsHost.K).Select(s => (K: JobsHost.K(s), s.SharedValues, s.Merged, s.TestAccuracy, s.CompressedFileId));
        var resumedSolutions = await host.SolutionsAsync(Stopped);
        Assert.Equal(
            finishedAsBefore.Select(s => (s.K, s.SharedValues, s.Merged, s.TestAccuracy)),
            resumedSolutions.Select(s => (JobsHost.K(s), s.SharedValues, s.Merged, s.TestAccuracy)));
        // Byte-identical outputs share their stored content with the earlier release's run.
        Assert.Equal(
            (await db.Files.AsNoTracking().Where(f => finishedAsBefore.Select(s => s.CompressedFileId).Contains(f.Id)).Select(f => f.Sha256).ToListAsync()).Order(),
            resumedSolutions.Select(s => s.CompressedFile!.Sha256).Order());
    }

    private static async Task<Raw> ReadRawAsync(string database)
    {
        await using var connection = new SqliteConnection($"Data Source={database};Pooling=False");
        await connection.OpenAsync();
        var runs = new Dictionary<string, (double?, int, DateTime?, double)>();
        await using (var command = new SqliteCommand("SELECT Id, BaselineTestAccuracy, Evaluations, FinishedAt, MergeSeconds FROM Runs", connection))
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                runs[reader.GetString(0)] = (reader.IsDBNull(1) ? null : reader.GetDouble(1), reader.GetInt32(2),
                    reader.IsDBNull(3) ? null : DateTime.SpecifyKind(DateTime.Parse(reader.GetString(3), System.Globalization.CultureInfo.InvariantCulture), DateTimeKind.Utc),
                    reader.GetDouble(4));
            }
        }
        var solutions = new Dictionary<(string, int), OldSolution>();
        await using (var command = new SqliteCommand("SELECT RunId, K, SharedValues, Merged, GroupStartsJson, ValidationAccuracy, ValidationMacroF1, TestAccuracy, CompressedFileId FROM Solutions", connection))
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                solutions[(reader.GetString(0), reader.GetInt32(1))] = new OldSolution(reader.GetInt32(2), reader.GetBoolean(3),
                    reader.IsDBNull(4) ? null : reader.GetString(4), reader.GetDouble(5), reader.IsDBNull(6) ? null : reader.GetDouble(6),
                    reader.IsDBNull(7) ? null : reader.GetDouble(7), reader.IsDBNull(8) ? null : reader.GetString(8));
            }
        }
        var stopped = new List<string>();
        await using (var command = new SqliteCommand($"SELECT StateJson FROM Generations WHERE RunId = '{Stopped}' ORDER BY Number", connection))
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                stopped.Add(reader.GetString(0));
            }
        }
        return new Raw(runs, solutions, stopped);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _directory.Dispose();
    }

    private sealed record OldSolution(int SharedValues, bool Merged, string? GroupStarts, double ValidationAccuracy, double? ValidationMacroF1, double? TestAccuracy, string? CompressedFileId);

    private sealed record Raw(Dictionary<string, (double?, int, DateTime?, double)> Runs, Dictionary<(string, int), OldSolution> Solutions, List<string> StoppedGenerations);
}
