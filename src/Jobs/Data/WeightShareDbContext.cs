using Microsoft.EntityFrameworkCore;

namespace WeightShare.Jobs.Data;

/// <summary>
/// The product's database: models, datasets, runs with their generations and solutions, stored files. This type is the
/// embedded SQLite database with its migrations in Data/Migrations; <see cref="PostgreSqlDbContext"/> is the same
/// model on PostgreSQL with migrations of its own.
/// </summary>
public class WeightShareDbContext : DbContext
{
    public WeightShareDbContext(DbContextOptions<WeightShareDbContext> options)
        : base(options)
    {
    }

    /// <summary>For a provider's own context type, whose migrations are kept apart.</summary>
    protected WeightShareDbContext(DbContextOptions options)
        : base(options)
    {
    }

    public DbSet<StoredFile> Files => Set<StoredFile>();

    public DbSet<Model> Models => Set<Model>();

    public DbSet<Dataset> Datasets => Set<Dataset>();

    public DbSet<Run> Runs => Set<Run>();

    public DbSet<Generation> Generations => Set<Generation>();

    public DbSet<Solution> Solutions => Set<Solution>();

    /// <summary>The SQLite options every host uses for the database file at <paramref name="databasePath"/>.</summary>
    public static void UseDatabaseFile(DbContextOptionsBuilder builder, string databasePath) =>
        // Several contexts (the job, its cancel poll, the web pages) share the file: wait for locks instead of failing.
        builder.UseSqlite($"Data Source={databasePath};Default Timeout=30;Pooling=True");

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder) =>
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();

    protected override void OnModelCreating(ModelBuilder modelBuilder) =>
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(WeightShareDbContext).Assembly);
}
