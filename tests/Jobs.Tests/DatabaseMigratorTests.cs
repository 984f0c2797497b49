using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using WeightShare.Engine.Pipeline;
using WeightShare.Jobs.Data;
using WeightShare.Jobs.Runs;

namespace WeightShare.Jobs.Tests;

public sealed class DatabaseMigratorTests
{
    [Fact]
    public async Task MigrateAsync_EmptyFile_CreatesEveryTableAndLeavesNothingPending()
    {
        using var directory = new TempDirectory();
        await using var host = new JobsHost(directory.Path);
        var path = Path.Combine(directory.Path, "weightshare.db");
        await File.WriteAllBytesAsync(path, []);

        await host.MigrateAsync();

        await using var db = host.Db();
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        Assert.Contains(await db.Database.GetAppliedMigrationsAsync(), m => m.EndsWith("_Initial", StringComparison.Ordinal));
        var tables = await db.Database.SqlQueryRaw<string>("SELECT name AS Value FROM sqlite_master WHERE type = 'table'").ToListAsync();
        Assert.Superset(new HashSet<string> { "Models", "Datasets", "Runs", "Generations", "Solutions", "StoredFiles" }, tables.ToHashSet());
    }

    [Fact]
    public async Task MigrateAsync_Twice_IsHarmlessAndKeepsRows()
    {
        using var directory = new TempDirectory();
        await using var host = new JobsHost(directory.Path);
        await host.MigrateAsync();
        await using (var db = host.Db())
        {
            db.Files.Add(new StoredFile { Sha256 = new string('a', 64), FileName = "x", SizeBytes = 1 });
            await db.SaveChangesAsync();
        }

        await host.MigrateAsync();

        await using var check = host.Db();
        Assert.Equal(1, await check.Files.CountAsync());
    }

    [Fact]
    public async Task MigrateAsync_RunMergingUnderTheEarlierSchema_IsRunningWithItsRefineSecondsAndRollsBack()
    {
        // Arrange: a run as the release before RetireLegacyMirrors stored it, Merging with its refine time as MergeSeconds.
        using var directory = new TempDirectory();
        await using var host = new JobsHost(directory.Path);
        await host.MigrateAsync();
        var runId = await host.CreateRunAsync();
        await using (var db = host.Db())
        {
            await db.GetService<IMigrator>().MigrateAsync("DataFreeRuns");
            await db.Database.ExecuteSqlAsync($"UPDATE Runs SET Status = 'Merging', Phase = 'Finish', MergeSeconds = 12.5 WHERE Id = {runId}");
        }

        // Act
        await host.MigrateAsync();

        // Assert: a running run is Running in every phase, and rolling back makes it Merging again.
        var run = await host.RunAsync(runId);
        Assert.Equal((RunStatus.Running, PipelinePhase.Finish, 12.5), (run.Status, run.Phase, run.RefineSeconds));
        await using (var db = host.Db())
        {
            await db.GetService<IMigrator>().MigrateAsync("DataFreeRuns");
            Assert.Equal(["Merging"], await db.Database.SqlQuery<string>($"SELECT Status AS Value FROM Runs WHERE Id = {runId}").ToListAsync());
        }
    }

    [Fact]
    public async Task SaveChanges_SecondGenerationWithSameNumber_IsRefusedByTheUniqueIndex()
    {
        using var directory = new TempDirectory();
        await using var host = new JobsHost(directory.Path);
        await host.MigrateAsync();
        var runId = await host.CreateRunAsync();
        await using var db = host.Db();
        db.Generations.Add(new Generation { RunId = runId, Number = 1, PopulationJson = "[]", FrontJson = "[]", StateJson = "{}" });
        await db.SaveChangesAsync();

        db.Generations.Add(new Generation { RunId = runId, Number = 1, PopulationJson = "[]", FrontJson = "[]", StateJson = "{}" });
        var error = await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());

        Assert.IsType<SqliteException>(error.InnerException);
    }
}
