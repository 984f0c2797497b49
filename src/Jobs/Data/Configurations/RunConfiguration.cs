using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using WeightShare.Jobs.Runs;

namespace WeightShare.Jobs.Data.Configurations;

internal sealed class RunConfiguration : IEntityTypeConfiguration<Run>
{
    public void Configure(EntityTypeBuilder<Run> builder)
    {
        builder.ToTable("Runs");
        builder.HasKey(r => r.Id);
        builder.Property(r => r.Id).HasMaxLength(32);
        builder.Property(r => r.SettingsJson).IsRequired();
        // Stored as names so the database reads the same as the API.
        builder.Property(r => r.Status).HasConversion<string>().HasMaxLength(16);
        builder.Property(r => r.Phase).HasConversion<string>().HasMaxLength(16);
        builder.Property(r => r.JobId).HasMaxLength(64);
        builder.Property(r => r.Worker).HasMaxLength(128);
        builder.Property(r => r.LeaseToken).HasMaxLength(32);
        builder.Property(r => r.Notes).HasMaxLength(RunLimits.NotesLength);
        builder.Ignore(r => r.IsFinal);
        builder.HasOne(r => r.Model).WithMany().HasForeignKey(r => r.ModelId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne(r => r.Dataset).WithMany().HasForeignKey(r => r.DatasetId).IsRequired(false).OnDelete(DeleteBehavior.Restrict);
        builder.HasMany(r => r.GenerationRows).WithOne().HasForeignKey(g => g.RunId).OnDelete(DeleteBehavior.Cascade);
        builder.HasMany(r => r.Solutions).WithOne().HasForeignKey(s => s.RunId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(r => r.Status);
        builder.HasIndex(r => r.CreatedAt);
    }
}
