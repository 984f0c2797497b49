using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace WeightShare.Jobs.Data;

/// <summary>Lets `dotnet ef` build the PostgreSQL context without a server; migrations add never connects.</summary>
internal sealed class PostgreSqlDesignTimeDbContextFactory : IDesignTimeDbContextFactory<PostgreSqlDbContext>
{
    public PostgreSqlDbContext CreateDbContext(string[] args)
    {
        var builder = new DbContextOptionsBuilder<PostgreSqlDbContext>();
        PostgreSqlDbContext.UseServer(builder, "Host=localhost;Database=weightshare_design");
        return new PostgreSqlDbContext(builder.Options);
    }
}
