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
        builder.Ignore(s => s.IsFinished);
        builder.HasOne(s => s.CompressedFile).WithMany().HasForeignKey(s => s.CompressedFileId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne(s => s.CheckpointFile).WithMany().HasForeignKey(s => s.CheckpointFileId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(s => new { s.RunId, s.K }).IsUnique();
    }
}
