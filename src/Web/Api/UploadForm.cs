using Microsoft.Extensions.Options;

namespace WeightShare.Web.Api;

/// <summary>Reads a multipart upload within the configured size; ASP.NET spools each file to disk, not memory.</summary>
public static class UploadForm
{
    public static async Task<IFormCollection> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var limit = request.HttpContext.RequestServices.GetRequiredService<IOptions<WebOptions>>().Value.MaxUploadBytes;
        if (!request.HasFormContentType)
        {
            throw new ApiProblemException(StatusCodes.Status415UnsupportedMediaType,
                $"Send multipart/form-data with the file in a field named 'file'; the request's content type was '{request.ContentType}'.");
        }
        if (request.ContentLength > limit)
        {
            throw TooLarge(request.ContentLength.Value, limit);
        }
        try
        {
            return await request.ReadFormAsync(cancellationToken);
        }
        catch (InvalidDataException e) when (e.Message.Contains("limit", StringComparison.OrdinalIgnoreCase))
        {
            throw TooLarge(null, limit);
        }
    }

    /// <summary>The files in the field named <c>file</c>; none is a 400.</summary>
    public static IReadOnlyList<IFormFile> Files(IFormCollection form)
    {
        var files = form.Files.GetFiles("file");
        if (files.Count == 0)
        {
            throw new ApiProblemException(StatusCodes.Status400BadRequest,
                form.Files.Count == 0 ? "The request has no file: send it in a form field named 'file'." : "The file must be sent in a form field named 'file'.");
        }
        return files;
    }

    private static ApiProblemException TooLarge(long? length, long limit) => new(StatusCodes.Status413PayloadTooLarge,
        $"The upload{(length is { } l ? $" ({l:N0} bytes)" : "")} is larger than the {limit:N0} bytes this server accepts (WeightShare:MaxUploadBytes).");
}
