using Microsoft.EntityFrameworkCore;

namespace WeightShare.Jobs.Data;

/// <summary>
/// Brings the database up to the latest migration of its provider: the SQLite file (created when it does not exist)
/// or the PostgreSQL database, which several processes may migrate at once (EF Core takes a database lock).
/// </summary>
public sealed class DatabaseMigrator(IDbContextFactory<WeightShareDbContext> contexts)
{
    public async Task MigrateAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var sqlite = db.Database.IsSqlite();
        var path = db.Database.GetDbConnection().DataSource;
        if (sqlite && !string.IsNullOrEmpty(path) && Path.GetDirectoryName(Path.GetFullPath(path)) is { } directory)
        {
            Directory.CreateDirectory(directory);
        }
        await db.Database.MigrateAsync(cancellationToken).ConfigureAwait(false);
        if (sqlite)
        {
            // Write-ahead logging lets pages read while a job commits a generation; the mode is stored in the file.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken).ConfigureAwait(false);
        }
    }
}
