using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace WeightShare.Jobs.Data.Configurations;

internal sealed class DatasetConfiguration : IEntityTypeConfiguration<Dataset>
{
    public void Configure(EntityTypeBuilder<Dataset> builder)
    {
        builder.ToTable("Datasets");
        builder.HasKey(d => d.Id);
        builder.Property(d => d.Id).HasMaxLength(32);
        builder.Property(d => d.FileName).HasMaxLength(520).IsRequired();
        builder.Property(d => d.Format).HasMaxLength(16).IsRequired();
        builder.Property(d => d.PreprocessingJson).IsRequired();
        // EF stores the primitive collection as a JSON array in one column.
        builder.PrimitiveCollection(d => d.SampleShape);
        builder.HasOne(d => d.File).WithMany().HasForeignKey(d => d.FileId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne(d => d.SecondFile).WithMany().HasForeignKey(d => d.SecondFileId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(d => d.CreatedAt);
    }
}
