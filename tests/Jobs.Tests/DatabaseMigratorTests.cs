using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using WeightShare.Jobs.Data;

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
