using Microsoft.EntityFrameworkCore;

namespace WeightShare.Jobs.Data;

/// <summary>
/// The product's database on a PostgreSQL server (WeightShare:Storage = PostgreSql): the model of
/// <see cref="WeightShareDbContext"/>, under a type of its own so that its migrations (Data/PostgreSql/Migrations) are
/// found apart from SQLite's.
/// </summary>
public sealed class PostgreSqlDbContext(DbContextOptions<PostgreSqlDbContext> options) : WeightShareDbContext(options)
{
    /// <summary>The Npgsql options every process uses for the server at <paramref name="connectionString"/>.</summary>
    public static void UseServer(DbContextOptionsBuilder builder, string connectionString) =>
        builder.UseNpgsql(connectionString);
}
