using System.Collections.Concurrent;
using Microsoft.Playwright;

namespace WeightShare.EndToEnd.Tests.Infrastructure;

/// <summary>
/// What went wrong in the browser while a test ran: script errors, console errors, requests that failed and answers
/// of 400 or more. API answers a test provokes on purpose are let through by <see cref="Unexpected"/>'s filter.
/// </summary>
public sealed class BrowserErrors
{
    private readonly ConcurrentQueue<string> _errors = new();

    public BrowserErrors(IPage page)
    {
        page.PageError += (_, error) => _errors.Enqueue($"script error: {error}");
        page.Console += (_, message) =>
        {
            // Chromium also logs each 4xx/5xx answer here; those are judged by their response below instead.
            if (message.Type == "error" && !message.Text.StartsWith("Failed to load resource", StringComparison.Ordinal))
            {
                _errors.Enqueue($"console error: {message.Text}");
            }
        };
        page.RequestFailed += (_, request) =>
        {
            // A link that becomes a download ends its navigation request with net::ERR_ABORTED by design.
            if (request.Failure != "net::ERR_ABORTED" || !request.Url.Contains("/api/solutions/", StringComparison.Ordinal))
            {
                _errors.Enqueue($"request failed: {request.Method} {request.Url} {request.Failure}");
            }
        };
        page.Response += (_, response) =>
        {
            if (response.Status >= 400)
            {
                _errors.Enqueue($"HTTP {response.Status}: {response.Request.Method} {response.Url}");
            }
        };
    }

    public IReadOnlyList<string> All => _errors.ToArray();

    /// <summary>Everything but the answers of 400 or more whose address contains one of <paramref name="expectedFailures"/>.</summary>
    public IReadOnlyList<string> Unexpected(params string[] expectedFailures) =>
        _errors.Where(e => !(e.StartsWith("HTTP ", StringComparison.Ordinal) && expectedFailures.Any(e.Contains))).ToArray();
}
