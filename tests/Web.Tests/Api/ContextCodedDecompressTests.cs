using System.Net;
using WeightShare.Engine.Codecs;
using WeightShare.Engine.Codecs.Scalar;
using WeightShare.Engine.Compression;
using WeightShare.Web.Tests.Infrastructure;

namespace WeightShare.Web.Tests.Api;

/// <summary>A .wsz whose indices the scalar codec's context coder wrote (coder byte 2) rebuilds through /api/decompress.</summary>
public sealed class ContextCodedDecompressTests(WebAppFactory factory) : IClassFixture<WebAppFactory>, IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("wsw-context-api-").FullName;

    [Fact]
    public async Task PostDecompress_ContextCodedFixtureCnn_ReturnsTheCheckpointByteForByte()
    {
        // Arrange: the fixture CNN at its recommended point, written as a run finishes it with coder = context.
        var settings = new RunSettings { Codec = ScalarCodec.CodecId, CodecOptions = new Dictionary<string, string> { ["coder"] = "context" } };
        using var session = CompressionSession.OpenDataFree(Fixtures.PathOf(Fixtures.Cnn), settings);
        var compressed = Path.Combine(_directory, "cnn.wsz");
        var checkpoint = Path.Combine(_directory, "cnn.pt");
        session.Finish(new SolutionPlan([13, 0, 1, 1, 0, 0]), compressed, checkpoint);

        // Act
        using var response = await factory.CreateClient().PostFileAsync("/api/decompress", "cnn.wsz", await File.ReadAllBytesAsync(compressed));

        // Assert
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(await File.ReadAllBytesAsync(checkpoint), await response.Content.ReadAsByteArrayAsync());
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
