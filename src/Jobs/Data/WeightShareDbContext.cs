using Microsoft.EntityFrameworkCore;

namespace WeightShare.Jobs.Data;

/// <summary>The product's database: models, datasets, runs with their generations and solutions, stored files.</summary>
public sealed class WeightShareDbContext(DbContextOptions<WeightShareDbContext> options) : DbContext(options)
{
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
