using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace WeightShare.Jobs.Data;

/// <summary>Lets `dotnet ef` build the context without a host; the file it names is never opened by migrations add.</summary>
internal sealed class DesignTimeDbContextFactory : IDesignTimeDbContextFactory<WeightShareDbContext>
{
    public WeightShareDbContext CreateDbContext(string[] args)
    {
        var builder = new DbContextOptionsBuilder<WeightShareDbContext>();
        WeightShareDbContext.UseDatabaseFile(builder, Path.Combine(Path.GetTempPath(), "weightshare-design.db"));
        return new WeightShareDbContext(builder.Options);
    }
}
