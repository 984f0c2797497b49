using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using WeightShare.Engine;
using WeightShare.Jobs.Runs;

namespace WeightShare.Web.Api;

/// <summary>
/// Turns the exceptions that mean "the request is wrong" into problem+json with the exception's message as the
/// detail; anything else stays a 500 without internals.
/// </summary>
public sealed class ProblemExceptionHandler(IProblemDetailsService problems, ILogger<ProblemExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var (status, detail) = exception switch
        {
            ApiProblemException e => (e.StatusCode, e.Message),
            UnsupportedFormatException e => (StatusCodes.Status415UnsupportedMediaType, e.Message),
            InvalidInputException e => (StatusCodes.Status400BadRequest, e.Message),
            RunStateException e => (StatusCodes.Status409Conflict, e.Message),
            BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } =>
                (StatusCodes.Status413PayloadTooLarge, "The upload is larger than the server accepts (WeightShare:MaxUploadBytes)."),
            BadHttpRequestException e => (e.StatusCode, e.Message),
            _ => (0, ""),
        };
        if (status == 0)
        {
            return false;
        }
        logger.LogInformation("Refused {Method} {Path} with {Status}: {Detail}", httpContext.Request.Method, httpContext.Request.Path, status, detail);
        httpContext.Response.StatusCode = status;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = new ProblemDetails { Status = status, Detail = detail },
        });
    }
}
