using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace WeightShare.Web.Api;

/// <summary>
/// Reads a multipart upload within the configured size, spooling each file to a temporary file that goes with the
/// response. Each file's first bytes are shown to a check as soon as they arrive, so junk is refused before the rest
/// of it is read (ASP.NET's own form reader reads the whole body first: a 1 GB junk file took 16 s to refuse).
/// </summary>
public static class UploadForm
{
    /// <summary>How many leading bytes of a file the check is shown.</summary>
    public const int HeadLength = 16;

    // What is read on after a refusal (see DrainAsync).
    private const long DrainBytes = 1 << 20;

    /// <param name="request">The request.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <param name="checkHead">
    /// Told the first <see cref="HeadLength"/> bytes (fewer only for a shorter file) of each file in the field
    /// <c>file</c> before the rest is read; throws to refuse it.
    /// </param>
    public static async Task<IFormCollection> ReadAsync(
        HttpRequest request, CancellationToken cancellationToken, Action<ReadOnlySpan<byte>>? checkHead = null)
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
        var boundary = HeaderUtilities.RemoveQuotes(MediaTypeHeaderValue.Parse(request.ContentType).Boundary).Value;
        if (string.IsNullOrEmpty(boundary))
        {
            // As ASP.NET's own form reader would: a multipart body without a boundary cannot be read.
            throw new ApiProblemException(StatusCodes.Status400BadRequest, "The multipart/form-data content type has no boundary.");
        }
        var formOptions = request.HttpContext.RequestServices.GetRequiredService<IOptions<FormOptions>>().Value;
        var reader = new MultipartReader(boundary, request.Body) { HeadersLengthLimit = formOptions.MultipartHeadersLengthLimit };
        var fields = new Dictionary<string, StringValues>(StringComparer.OrdinalIgnoreCase);
        var files = new FormFileCollection();
        long total = 0;
        try
        {
            while (await reader.ReadNextSectionAsync(cancellationToken) is { } section)
            {
                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition) || !disposition.DispositionType.Equals("form-data", StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }
                var name = HeaderUtilities.RemoveQuotes(disposition.Name).Value ?? "";
                if (disposition.IsFileDisposition())
                {
                    var fileName = HeaderUtilities.RemoveQuotes(disposition.FileNameStar.HasValue ? disposition.FileNameStar : disposition.FileName).Value ?? "";
                    var spooled = await SpoolAsync(request.HttpContext, section.Body, name == "file" ? checkHead : null, limit, total, cancellationToken);
                    total += spooled.Length;
                    files.Add(new FormFile(spooled, 0, spooled.Length, name, fileName)
                    {
                        Headers = new HeaderDictionary(section.Headers),
                    });
                }
                else
                {
                    using var text = new StreamReader(section.Body);
                    var value = await text.ReadToEndAsync(cancellationToken);
                    if (value.Length > formOptions.ValueLengthLimit)
                    {
                        throw new ApiProblemException(StatusCodes.Status400BadRequest, $"The form field '{name}' is longer than {formOptions.ValueLengthLimit:N0} characters.");
                    }
                    fields[name] = StringValues.Concat(fields.GetValueOrDefault(name), value);
                }
            }
        }
        catch (InvalidDataException e) when (e.Message.Contains("limit", StringComparison.OrdinalIgnoreCase))
        {
            throw TooLarge(null, limit);
        }
        return new FormCollection(fields, files);
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

    private static async Task<FileStream> SpoolAsync(
        HttpContext context, Stream body, Action<ReadOnlySpan<byte>>? checkHead, long limit, long used, CancellationToken cancellationToken)
    {
        var head = new byte[HeadLength];
        var read = await body.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, cancellationToken);
        try
        {
            checkHead?.Invoke(head.AsSpan(0, read));
        }
        catch
        {
            await DrainAsync(context.Request.Body, cancellationToken);
            throw;
        }
        var spool = new FileStream(
            Path.Combine(Path.GetTempPath(), "wsw-upload-" + Path.GetRandomFileName()),
            FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        context.Response.RegisterForDisposeAsync(spool);
        await spool.WriteAsync(head.AsMemory(0, read), cancellationToken);
        var buffer = new byte[1 << 16];
        int chunk;
        while ((chunk = await body.ReadAsync(buffer, cancellationToken)) > 0)
        {
            if (used + spool.Length + chunk > limit)
            {
                throw TooLarge(null, limit);
            }
            await spool.WriteAsync(buffer.AsMemory(0, chunk), cancellationToken);
        }
        await spool.FlushAsync(cancellationToken);
        return spool;
    }

    /// <summary>
    /// Reads on, up to <see cref="DrainBytes"/>, what the client has already sent of a refused upload: a connection
    /// closed with unread bytes is reset, and the client would lose the answer with it. A small upload is then read
    /// to its end and answered cleanly; a large one still stops within a few buffers.
    /// </summary>
    private static async Task DrainAsync(Stream body, CancellationToken cancellationToken)
    {
        var buffer = new byte[1 << 16];
        for (long drained = 0; drained < DrainBytes;)
        {
            var read = await body.ReadAsync(buffer, cancellationToken);
            if (read == 0)
            {
                return;
            }
            drained += read;
        }
    }

    private static ApiProblemException TooLarge(long? length, long limit) => new(StatusCodes.Status413PayloadTooLarge,
        $"The upload{(length is { } l ? $" ({l:N0} bytes)" : "")} is larger than the {limit:N0} bytes this server accepts (WeightShare:MaxUploadBytes).");
}
