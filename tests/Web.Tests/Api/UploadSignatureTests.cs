using System.Net;
using WeightShare.Engine;
using WeightShare.Engine.Checkpoints;
using WeightShare.Engine.Datasets;
using WeightShare.Web.Tests.Infrastructure;
using Xunit.Abstractions;

namespace WeightShare.Web.Tests.Api;

/// <summary>
/// A large upload whose first bytes begin no accepted format is refused as soon as they arrive, with the status and
/// message the full read gives, instead of after the whole body has been spooled to disk.
/// </summary>
public sealed class UploadSignatureTests(ITestOutputHelper output) : IDisposable
{
    private const long GiB = 1L << 30;
    private static readonly byte[] Junk = "these are not weights, nor data\n"u8.ToArray();
    private readonly string _junk = Path.Combine(Path.GetTempPath(), $"wsw-junk-{Guid.NewGuid():N}.bin");

    [Theory]
    [InlineData("/api/models", "model.pt")]
    [InlineData("/api/datasets", "data.npz")]
    public async Task Post_GigabyteUploadStartingWithJunk_Returns415WithTheFullChecksMessageAfterASmallPrefix(string endpoint, string fileName)
    {
        // Arrange: what the readers say of the same bytes once on disk; Kestrel, since the in-memory test server
        // reads a request's whole body before the app sees it.
        File.WriteAllBytes(_junk, Junk);
        var full = endpoint == "/api/models"
            ? Assert.Throws<UnsupportedFormatException>(() => CheckpointReader.Read(_junk)).Message
            : Assert.Throws<UnsupportedFormatException>(() => DatasetReader.Read([_junk])).Message;
        await using var factory = new KestrelAppFactory(new Dictionary<string, string?>());
        using var client = factory.CreateSocketClient();

        // Act: a gigabyte that starts with junk, and the same junk as a whole small file.
        var (statusLine, sent) = await ChunkedUpload.PostAsync(factory.ServerAddress, endpoint, fileName, Junk, GiB);
        using var small = await client.PostFileAsync(endpoint, fileName, Junk);

        // Assert: the answer came while the socket had taken only a few buffers of the gigabyte (the server reads
        // 16 bytes of the file, Kestrel and the kernel buffer a few MiB), with the full check's status and message.
        output.WriteLine($"{statusLine} after {sent:N0} bytes");
        Assert.StartsWith("HTTP/1.1 415", statusLine, StringComparison.Ordinal);
        Assert.True(sent < 32 << 20, $"{sent:N0} bytes were sent before the answer.");
        Assert.Equal(full, await small.ProblemAsync(HttpStatusCode.UnsupportedMediaType));
    }

    public void Dispose() => File.Delete(_junk);
}
