using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace WeightShare.Jobs.Data.Configurations;

internal sealed class ModelConfiguration : IEntityTypeConfiguration<Model>
{
    public void Configure(EntityTypeBuilder<Model> builder)
    {
        builder.ToTable("Models");
        builder.HasKey(m => m.Id);
        builder.Property(m => m.Id).HasMaxLength(32);
        builder.Property(m => m.FileName).HasMaxLength(260).IsRequired();
        builder.Property(m => m.Format).HasMaxLength(16).IsRequired();
        builder.Property(m => m.Sha256).HasMaxLength(64).IsRequired();
        builder.HasOne(m => m.File).WithMany().HasForeignKey(m => m.FileId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(m => m.CreatedAt);
    }
}
