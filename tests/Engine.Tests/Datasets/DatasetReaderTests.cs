using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using WeightShare.Engine.Datasets;
using WeightShare.Tests.Support;

namespace WeightShare.Engine.Tests.Datasets;

public sealed class DatasetReaderTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("wsw-data-").FullName;

    private static RawDataset Idx() => DatasetReader.Read([Fixtures.Path("eval-images-idx3-ubyte.gz"), Fixtures.Path("eval-labels-idx1-ubyte.gz")]);

    [Fact]
    public void Read_IdxFixture_GivesTwoThousandBalancedImages()
    {
        var data = Idx();

        Assert.Equal(DatasetFormat.Idx, data.Format);
        Assert.Equal(2000, data.Count);
        Assert.Equal(new[] { 1, 28, 28 }, data.SampleShape);
        Assert.Equal(10, data.Classes);
        Assert.All(Enumerable.Range(0, 10), c => Assert.Equal(200, data.Labels.Count(l => l == c)));
        Assert.InRange(data.Samples.Max(), 200, 255);
    }

    [Fact]
    public void Read_IdxRawFilesInEitherOrder_EqualsGzipped()
    {
        var images = Gunzip("eval-images-idx3-ubyte.gz");
        var labels = Gunzip("eval-labels-idx1-ubyte.gz");

        var swapped = DatasetReader.Read([labels, images]);

        var expected = Idx();
        Assert.Equal(expected.Labels, swapped.Labels);
        Assert.Equal(expected.Samples, swapped.Samples);
    }

    [Fact]
    public void Read_NpzSafetensorsAndCifarFixtures_HoldTheSameImages()
    {
        var idx = Idx();

        var npz = DatasetReader.Read([Fixtures.Path("eval.npz")]);
        var safetensors = DatasetReader.Read([Fixtures.Path("eval.safetensors")]);
        var cifar = DatasetReader.Read([Fixtures.Path("eval-cifar.tar.gz")]);

        Assert.Equal((DatasetFormat.Npz, DatasetFormat.Safetensors, DatasetFormat.Cifar), (npz.Format, safetensors.Format, cifar.Format));
        Assert.Equal(idx.Labels, npz.Labels);
        Assert.Equal(idx.Samples, npz.Samples);
        Assert.Equal(idx.Labels, safetensors.Labels);
        Assert.Equal(idx.Samples, safetensors.Samples);
        Assert.Equal(new[] { 3, 32, 32 }, cifar.SampleShape);
        Assert.Equal(idx.Labels, cifar.Labels);
        // make_fixtures.py padded each 28 x 28 image by two pixels and repeated it on three channels.
        for (var n = 0; n < idx.Count; n += 97)
        {
            for (var c = 0; c < 3; c++)
            {
                for (var y = 0; y < 28; y++)
                {
                    for (var x = 0; x < 28; x++)
                    {
                        Assert.Equal(idx.Samples[n * 784 + y * 28 + x], cifar.Samples[n * 3072 + c * 1024 + (y + 2) * 32 + x + 2]);
                    }
                }
            }
        }
    }

    [Theory]
    [InlineData("truncated")]
    [InlineData("magic")]
    [InlineData("count")]
    public void Read_BrokenIdx_ThrowsInvalidInput(string damage)
    {
        var images = File.ReadAllBytes(Gunzip("eval-images-idx3-ubyte.gz"));
        var labels = File.ReadAllBytes(Gunzip("eval-labels-idx1-ubyte.gz"));
        switch (damage)
        {
            case "truncated":
                images = images[..^100];
                break;
            case "magic":
                images[0] = 7;
                break;
            default:
                labels = labels[..^1];
                labels[7] -= 1;
                break;
        }

        var error = Assert.Throws<InvalidInputException>(() => DatasetReader.Read([Write("i", images), Write("l", labels)]));

        Assert.False(string.IsNullOrWhiteSpace(error.Message));
    }

    [Theory]
    [InlineData("{'descr': '|O', 'fortran_order': False, 'shape': (2,), }", "object")]
    [InlineData("{'descr': '<f4', 'fortran_order': True, 'shape': (2, 2), }", "Fortran")]
    [InlineData("{'descr': '>f4', 'fortran_order': False, 'shape': (2, 2), }", "'>f4'")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (9, 9), }", "holds")]
    public void Read_HostileNpz_ThrowsNamingTheProblem(string header, string expected)
    {
        var path = Npz(("x.npy", NpzFiles.Npy(header, new byte[16])), ("y.npy", NpzFiles.Npy("{'descr': '<i8', 'fortran_order': False, 'shape': (2,), }", new byte[16])));

        var error = Assert.Throws<InvalidInputException>(() => DatasetReader.Read([path]));

        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void Read_NpzWithoutLabels_IsInputsWithoutClasses()
    {
        var path = Npz(("x.npy", NpzFiles.Npy("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 2), }", new byte[16])));

        var data = DatasetReader.Read([path]);

        Assert.False(data.IsLabelled);
        Assert.Equal(2, data.Count);
        Assert.Equal([2], data.SampleShape);
    }

    [Fact]
    public void Read_NpzWithoutSamples_SaysXIsMissing()
    {
        var path = Npz(("y.npy", NpzFiles.Npy("{'descr': '<i8', 'fortran_order': False, 'shape': (2,), }", new byte[16])));

        var error = Assert.Throws<InvalidInputException>(() => DatasetReader.Read([path]));

        Assert.Contains("'x'", error.Message);
    }

    [Fact]
    public void Read_TarMemberEscapingTheArchive_IsRefused()
    {
        var path = Path.Combine(_directory, "evil.tar.gz");
        using (var file = File.Create(path))
        using (var gzip = new GZipStream(file, CompressionLevel.Fastest))
        using (var tar = new TarWriter(gzip))
        {
            tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "../cifar-10-batches-bin/test_batch.bin") { DataStream = new MemoryStream(new byte[3073]) });
        }

        var error = Assert.Throws<InvalidInputException>(() => DatasetReader.Read([path]));

        Assert.Contains("outside the archive", error.Message);
    }

    [Fact]
    public void Read_GzipBomb_IsRefusedWithWhatItClaims()
    {
        // A valid IDX header claiming 60000 x 28 x 28 bytes, followed by 200 MB of zeros that gzip squeezes to ~200 KB;
        // the reader inflates at most about 1100 bytes per compressed byte, then compares with the header.
        var path = Path.Combine(_directory, "bomb-idx3-ubyte.gz");
        using (var file = File.Create(path))
        using (var gzip = new GZipStream(file, CompressionLevel.SmallestSize))
        {
            gzip.Write(new byte[] { 0, 0, 8, 3, 0, 0, 0xEA, 0x60, 0, 0, 0, 28, 0, 0, 0, 28 });
            var zeros = new byte[1 << 20];
            for (var i = 0; i < 200; i++)
            {
                gzip.Write(zeros);
            }
        }

        var error = Assert.Throws<InvalidInputException>(() => DatasetReader.Read([path, Fixtures.Path("eval-labels-idx1-ubyte.gz")]));

        Assert.Contains("declares 60000 x 28 x 28", error.Message);
    }

    [Fact]
    public void Read_OneIdxFile_AsksForBoth()
    {
        var error = Assert.Throws<InvalidInputException>(() => DatasetReader.Read([Fixtures.Path("eval-images-idx3-ubyte.gz")]));

        Assert.Contains("label file", error.Message);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string Gunzip(string fixture)
    {
        using var input = new GZipStream(File.OpenRead(Fixtures.Path(fixture)), CompressionMode.Decompress);
        var path = Path.Combine(_directory, Path.GetFileNameWithoutExtension(fixture));
        using var output = File.Create(path);
        input.CopyTo(output);
        return path;
    }

    private string Write(string name, byte[] bytes)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private string Npz(params (string Name, byte[] Data)[] members) => Write(Guid.NewGuid() + ".npz", NpzFiles.Npz(members));
}
