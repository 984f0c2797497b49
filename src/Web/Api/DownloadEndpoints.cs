using Microsoft.Extensions.Options;
using WeightShare.Engine.Codecs;
using WeightShare.Engine.Wsz;
using WeightShare.Jobs.Storage;

namespace WeightShare.Web.Api;

/// <summary>The solutions' files and the decompressor.</summary>
public static class DownloadEndpoints
{
    public static IEndpointRouteBuilder MapDownloadEndpoints(this IEndpointRouteBuilder routes)
    {
        var solutions = routes.MapGroup("/api/solutions").WithTags("Downloads");
        solutions.MapGet("/{id}/compressed", (string id, RunQueries queries, FileStore files, CancellationToken ct) => DownloadAsync(id, compressed: true, queries, files, ct))
            .WithSummary("Download a solution's .wsz")
            .WithDescription("The compressed file (docs/wsz-format.md); /api/decompress or decoder/wsz.py rebuilds the checkpoint from it. 409 before the run's Finish phase wrote it.")
            .Produces(StatusCodes.Status200OK, contentType: "application/octet-stream")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        solutions.MapGet("/{id}/checkpoint", (string id, RunQueries queries, FileStore files, CancellationToken ct) => DownloadAsync(id, compressed: false, queries, files, ct))
            .WithSummary("Download a solution's checkpoint")
            .WithDescription("The uploaded checkpoint with its shared weights replaced, in the uploaded format: full precision, so as large as the upload; the .wsz is the small file.")
            .Produces(StatusCodes.Status200OK, contentType: "application/octet-stream")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        routes.MapPost("/api/decompress", DecompressAsync)
            .WithTags("Downloads")
            .WithSummary("Rebuild a checkpoint from a .wsz")
            .WithDescription("A .wsz in the form field 'file'; answers the checkpoint it rebuilds, byte for byte the solution's checkpoint download. The file is rebuilt on disk in chunks and sent only once its SHA-256 matches.")
            .AcceptsUpload()
            .Produces(StatusCodes.Status200OK, contentType: "application/octet-stream");
        return routes;
    }

    private static async Task<IResult> DownloadAsync(string id, bool compressed, RunQueries queries, FileStore files, CancellationToken cancellationToken)
    {
        var file = await queries.SolutionFileAsync(id, compressed, cancellationToken);
        if (file is null)
        {
            throw await queries.SolutionExistsAsync(id, cancellationToken)
                ? new ApiProblemException(StatusCodes.Status409Conflict, $"Solution '{id}' has no files yet: its run writes them in its Finish phase (a run that was canceled or failed before then never does).")
                : ApiProblemException.NotFound("solution", id);
        }
        return TypedResults.File(files.OpenRead(file), "application/octet-stream", file.FileName);
    }

    private static async Task<IResult> DecompressAsync(HttpRequest request, CodecRegistry codecs, FileStore store, IOptions<WebOptions> options, CancellationToken cancellationToken)
    {
        var form = await UploadForm.ReadAsync(request, cancellationToken);
        var files = UploadForm.Files(form);
        var limit = options.Value.MaxDecompressedBytes;
        if (files[0].Length > limit)
        {
            throw TooLarge($"This .wsz file is {files[0].Length} bytes", limit);
        }
        WszContent content;
        await using (var input = files[0].OpenReadStream())
        {
            content = WszReader.Read(input, codecs);
        }
        if (content.ReconstructedLength > limit)
        {
            throw TooLarge($"This .wsz file rebuilds a file of {content.ReconstructedLength} bytes", limit);
        }

        // Rebuilt on disk, a chunk at a time, and sent only once its SHA-256 holds; the file goes when the response is sent.
        var rebuilt = new FileStream(store.NewTemporaryPath(".rebuilt"), FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.DeleteOnClose);
        try
        {
            WszDecoder.Reconstruct(content, rebuilt, codecs, cancellationToken);
            rebuilt.Position = 0;
            return TypedResults.File(rebuilt, "application/octet-stream", content.OriginalFileName);
        }
        catch
        {
            await rebuilt.DisposeAsync();
            throw;
        }
    }

    private static ApiProblemException TooLarge(string what, long limit) => new(StatusCodes.Status413PayloadTooLarge,
        $"{what}; this server rebuilds at most {limit} (WeightShare:MaxDecompressedBytes).");
}
