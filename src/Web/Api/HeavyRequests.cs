using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace WeightShare.Web.Api;

/// <summary>
/// The requests that parse or rebuild whole files (uploads, /api/decompress): at most
/// <see cref="WebOptions.MaxConcurrentHeavyRequests"/> at once per process; beyond that a 429 with Retry-After, so a
/// burst of them cannot take every core, disk and byte of memory from the runs.
/// </summary>
public static class HeavyRequests
{
    /// <summary>The rate-limiting policy heavy endpoints require.</summary>
    public const string Policy = "heavy";

    /// <summary>Seconds a refused client is asked to wait.</summary>
    public const int RetryAfterSeconds = 5;

    /// <summary>Registers the limit, read from <see cref="WebOptions"/> when the limiter is first built.</summary>
    public static IServiceCollection AddHeavyRequestLimit(this IServiceCollection services)
    {
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<WebOptions>>((limiter, web) =>
        {
            var permits = web.Value.MaxConcurrentHeavyRequests;
            limiter.AddConcurrencyLimiter(Policy, concurrency =>
            {
                concurrency.PermitLimit = permits;
                concurrency.QueueLimit = 0;
            });
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.OnRejected = async (context, cancellationToken) =>
            {
                var http = context.HttpContext;
                http.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
                await http.RequestServices.GetRequiredService<IProblemDetailsService>().TryWriteAsync(new ProblemDetailsContext
                {
                    HttpContext = http,
                    ProblemDetails = new ProblemDetails
                    {
                        Status = StatusCodes.Status429TooManyRequests,
                        Detail = $"This server is already parsing or rebuilding {permits} files (WeightShare:MaxConcurrentHeavyRequests); try again in {RetryAfterSeconds} s.",
                    },
                });
            };
        });
        return services;
    }

    /// <summary>Counts the endpoint among the heavy requests.</summary>
    public static RouteHandlerBuilder IsHeavy(this RouteHandlerBuilder endpoint) => endpoint
        .RequireRateLimiting(Policy)
        .ProducesProblem(StatusCodes.Status429TooManyRequests);
}
