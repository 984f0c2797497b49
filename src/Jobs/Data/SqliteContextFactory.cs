using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace WeightShare.Jobs.Data;

/// <summary>The embedded default: contexts on the SQLite file in the data directory.</summary>
internal sealed class SqliteContextFactory(IOptions<WeightShareOptions> options) : IDbContextFactory<WeightShareDbContext>
{
    private readonly DbContextOptions<WeightShareDbContext> _options = Build(options.Value);

    public WeightShareDbContext CreateDbContext() => new(_options);

    private static DbContextOptions<WeightShareDbContext> Build(WeightShareOptions options)
    {
        var builder = new DbContextOptionsBuilder<WeightShareDbContext>();
        WeightShareDbContext.UseDatabaseFile(builder, options.DatabasePath);
        return builder.Options;
    }
}
