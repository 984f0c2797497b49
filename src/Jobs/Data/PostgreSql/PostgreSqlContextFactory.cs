using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace WeightShare.Jobs.Data;

/// <summary>
/// Hands out <see cref="PostgreSqlDbContext"/>s where the product asks for its <see cref="WeightShareDbContext"/>, so every
/// query, command and migration runs on the server when WeightShare:Storage is PostgreSql.
/// </summary>
internal sealed class PostgreSqlContextFactory(IOptions<WeightShareOptions> options) : IDbContextFactory<WeightShareDbContext>
{
    private readonly DbContextOptions<PostgreSqlDbContext> _options = Build(options.Value);

    public WeightShareDbContext CreateDbContext() => new PostgreSqlDbContext(_options);

    private static DbContextOptions<PostgreSqlDbContext> Build(WeightShareOptions options)
    {
        var builder = new DbContextOptionsBuilder<PostgreSqlDbContext>();
        PostgreSqlDbContext.UseServer(builder, options.PostgreSqlConnection
            ?? throw new InvalidOperationException("WeightShare:PostgreSqlConnection is required when WeightShare:Storage is PostgreSql."));
        return builder.Options;
    }
}
