using Microsoft.EntityFrameworkCore;

namespace WeightShare.Jobs.Data;

/// <summary>Brings the SQLite file up to the latest migration; creates it when it does not exist.</summary>
public sealed class DatabaseMigrator(IDbContextFactory<WeightShareDbContext> contexts)
{
    public async Task MigrateAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var path = db.Database.GetDbConnection().DataSource;
        if (!string.IsNullOrEmpty(path) && Path.GetDirectoryName(Path.GetFullPath(path)) is { } directory)
        {
            Directory.CreateDirectory(directory);
        }
        await db.Database.MigrateAsync(cancellationToken).ConfigureAwait(false);
        // Write-ahead logging lets pages read while a job commits a generation; the mode is stored in the file.
        await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken).ConfigureAwait(false);
    }
}
