using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using WeightShare.Engine;
using WeightShare.Jobs.Catalog;

namespace WeightShare.Jobs.Tests;

public sealed class UploadTests
{
    [Fact]
    public async Task AddAsync_StreamThrowsHalfway_LeavesNoFileAndNoRow()
    {
        using var directory = new TempDirectory();
        await using var host = new JobsHost(directory.Path);
        await host.MigrateAsync();
        var bytes = await File.ReadAllBytesAsync(JobsHost.Fixture("fmnist_cnn.pt"));
        await using var cutOff = new FailingStream(bytes, failAfter: bytes.Length / 2);

        await Assert.ThrowsAsync<IOException>(() => host.Get<ModelCatalog>().AddAsync(cutOff, "fmnist_cnn.pt"));

        Assert.True(cutOff.Position > 0, "the upload should have been partly written before it failed");
        Assert.Empty(Directory.EnumerateFiles(host.Get<Storage.FileStore>().Root, "*", SearchOption.AllDirectories));
        await using var db = host.Db();
        Assert.Equal(0, await db.Files.CountAsync());
        Assert.Equal(0, await db.Models.CountAsync());
    }

    [Fact]
    public async Task AddAsync_NotACheckpoint_RefusedAndLeavesNoFileAndNoRow()
    {
        using var directory = new TempDirectory();
        await using var host = new JobsHost(directory.Path);
        await host.MigrateAsync();
        await using var garbage = new MemoryStream(new byte[4096]);

        await Assert.ThrowsAsync<UnsupportedFormatException>(() => host.Get<ModelCatalog>().AddAsync(garbage, "weights.pt"));

        Assert.Empty(Directory.EnumerateFiles(host.Get<Storage.FileStore>().Root, "*", SearchOption.AllDirectories));
        await using var db = host.Db();
        Assert.Equal(0, await db.Files.CountAsync());
    }

    [Fact]
    public async Task AddAsync_CompleteUpload_StoredUnderItsSha256WithItsFigures()
    {
        using var directory = new TempDirectory();
        await using var host = new JobsHost(directory.Path);
        await host.MigrateAsync();
        var bytes = await File.ReadAllBytesAsync(JobsHost.Fixture("fmnist_cnn.pt"));

        var model = await host.AddFixtureModelAsync();

        var sha = Convert.ToHexStringLower(SHA256.HashData(bytes));
        Assert.Equal(sha, model.Sha256);
        Assert.Equal(bytes, await File.ReadAllBytesAsync(Path.Combine(host.Get<Storage.FileStore>().Root, sha)));
        Assert.Equal("torchscript", model.Format);
        Assert.True(model.CanEvaluate);
        Assert.Equal(bytes.Length, model.SizeBytes);
        Assert.Empty(Directory.EnumerateFiles(host.Get<Storage.FileStore>().TemporaryDirectory));
    }

    [Fact]
    public async Task AddAsync_IdxPair_RecordsSamplesShapeAndClasses()
    {
        using var directory = new TempDirectory();
        await using var host = new JobsHost(directory.Path);
        await host.MigrateAsync();

        var dataset = await host.AddFixtureDatasetAsync();

        Assert.Equal("idx", dataset.Format);
        Assert.Equal(2000, dataset.Samples);
        Assert.Equal([1, 28, 28], dataset.SampleShape);
        Assert.Equal(10, dataset.Classes);
        Assert.NotNull(dataset.SecondFileId);
    }

    /// <summary>Gives the first bytes of its content, then fails as a dropped connection does.</summary>
    private sealed class FailingStream(byte[] content, int failAfter) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get; set; }

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (Position >= failAfter)
            {
                throw new IOException("connection reset");
            }
            var n = (int)Math.Min(count, failAfter - Position);
            Array.Copy(content, Position, buffer, offset, n);
            Position += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
