using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace WeightShare.Jobs.Data.Configurations;

internal sealed class SolutionConfiguration : IEntityTypeConfiguration<Solution>
{
    public void Configure(EntityTypeBuilder<Solution> builder)
    {
        builder.ToTable("Solutions");
        builder.HasKey(s => s.Id);
        builder.Property(s => s.Id).HasMaxLength(32);
        builder.Property(s => s.RunId).HasMaxLength(32);
        builder.Property(s => s.Codec).HasMaxLength(32);
        builder.Property(s => s.ParametersJson).HasMaxLength(1024);
        builder.Property(s => s.Description).HasMaxLength(512);
        builder.Ignore(s => s.IsFinished);
        builder.HasOne(s => s.CompressedFile).WithMany().HasForeignKey(s => s.CompressedFileId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne(s => s.CheckpointFile).WithMany().HasForeignKey(s => s.CheckpointFileId).OnDelete(DeleteBehavior.Restrict);
        // A retried or duplicated job fails on insert rather than writing a solution twice.
        builder.HasIndex(s => new { s.RunId, s.ParametersJson }).IsUnique();
    }
}
