using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace WeightShare.Web.Api;

/// <summary>
/// The requests that parse or rebuild whole files (uploads, /api/decompress): at most
/// <see cref="WebOptions.MaxConcurrentHeavyRequests"/> at once per process, so a burst of them cannot take every core,
/// disk and byte of memory from the runs. Up to <see cref="WebOptions.MaxQueuedHeavyRequests"/> more wait in turn (their
/// bodies unread: the connection holds them back), each for at most <see cref="WebOptions.HeavyRequestQueueSeconds"/>;
/// past the queue or the wait, a 429 with Retry-After.
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
            var queue = web.Value.MaxQueuedHeavyRequests;
            var wait = TimeSpan.FromSeconds(web.Value.HeavyRequestQueueSeconds);
            // One partition for the whole process; the limiter is rebuilt when it has been idle and dropped.
            limiter.AddPolicy(Policy, _ => RateLimitPartition.Get(Policy, _ => new QueueTimeLimiter(
                new ConcurrencyLimiter(new ConcurrencyLimiterOptions { PermitLimit = permits, QueueLimit = queue, QueueProcessingOrder = QueueProcessingOrder.OldestFirst }),
                wait)));
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
                        Detail = context.Lease.TryGetMetadata(QueueTimeLimiter.Waited, out var reason)
                            ? $"This server is parsing or rebuilding {permits} files at once (WeightShare:MaxConcurrentHeavyRequests) and this request {reason} (WeightShare:HeavyRequestQueueSeconds); try again in {RetryAfterSeconds} s."
                            : $"This server is already parsing or rebuilding {permits} files (WeightShare:MaxConcurrentHeavyRequests) with {queue} more waiting (WeightShare:MaxQueuedHeavyRequests); try again in {RetryAfterSeconds} s.",
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
