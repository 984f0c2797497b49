using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace WeightShare.Jobs.Data.Configurations;

internal sealed class GenerationConfiguration : IEntityTypeConfiguration<Generation>
{
    public void Configure(EntityTypeBuilder<Generation> builder)
    {
        builder.ToTable("Generations");
        builder.HasKey(g => g.Id);
        builder.Property(g => g.RunId).HasMaxLength(32);
        builder.Property(g => g.PopulationJson).IsRequired();
        builder.Property(g => g.FrontJson).IsRequired();
        builder.Property(g => g.StateJson).IsRequired();
        // A retried or duplicated job fails on insert rather than writing a generation twice.
        builder.HasIndex(g => new { g.RunId, g.Number }).IsUnique();
    }
}
