using WeightShare.Engine.Datasets;
using WeightShare.Engine.Wsz;

namespace WeightShare.Engine.Tests;

/// <summary>
/// Inputs the fuzzing harnesses (tools/Fuzz, scripts/fuzz.sh) found to break a reader's contract, committed under
/// tests/fixtures/fuzz/&lt;harness&gt;/ as afl-tmin left them: each must now be refused with the product's own type.
/// </summary>
public class FuzzFindingsTests
{
    private static string Finding(string harness, string name) => Path.Combine(AppContext.BaseDirectory, "fixtures", "fuzz", harness, name);

    public static TheoryData<string, string> Findings()
    {
        var data = new TheoryData<string, string>();
        foreach (var folder in Directory.EnumerateDirectories(Path.Combine(AppContext.BaseDirectory, "fixtures", "fuzz")).Order(StringComparer.Ordinal))
        {
            foreach (var file in Directory.EnumerateFiles(folder).Order(StringComparer.Ordinal))
            {
                data.Add(Path.GetFileName(folder), Path.GetFileName(file));
            }
        }

        return data;
    }

    // The product's reader behind each harness that has a finding; a finding of another harness must add its own here.
    private static void Read(string harness, string path)
    {
        switch (harness)
        {
            case "cifar":
                CifarReader.Read(path);
                break;
            case "wsz":
                using (var input = File.OpenRead(path))
                {
                    WszDecoder.Reconstruct(WszReader.Read(input), new MemoryStream());
                }

                break;
            default:
                throw new InvalidOperationException($"No reader is named for the fuzz findings of harness '{harness}'.");
        }
    }

    [Theory]
    [MemberData(nameof(Findings))]
    public void Read_CommittedFuzzFinding_RefusesWithInvalidInput(string harness, string name)
    {
        // Arrange
        var path = Finding(harness, name);

        // Act / Assert
        Assert.ThrowsAny<InvalidInputException>(() => Read(harness, path));
    }

    [Fact]
    public void Read_CifarArchiveWithSparseMember_SaysItIsNotReadable()
    {
        // Arrange: a .tar.gz whose member is of the GNU sparse type, which .NET's TarReader refuses with NotSupportedException.
        var path = Finding("cifar", "sparse-member.tar.gz");

        // Act
        var error = Assert.Throws<InvalidInputException>(() => CifarReader.Read(path));

        // Assert
        Assert.Contains("not a readable .tar.gz archive", error.Message, StringComparison.Ordinal);
        Assert.IsType<NotSupportedException>(error.InnerException);
    }

    [Fact]
    public void Reconstruct_CorruptBrotliResidual_SaysTheResidualIsInvalid()
    {
        // Arrange: a scalar-codec .wsz whose Brotli residual is damaged; BrotliStream throws InvalidOperationException.
        using var input = File.OpenRead(Finding("wsz", "corrupt-brotli-residual.wsz"));
        var content = WszReader.Read(input);

        // Act
        var error = Assert.Throws<InvalidInputException>(() => WszDecoder.Reconstruct(content, new MemoryStream()));

        // Assert
        Assert.Equal(WszResidualCoding.Brotli, content.ResidualCoding);
        Assert.Contains("not valid Brotli data", error.Message, StringComparison.Ordinal);
    }
}
