using System.Net;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace WeightShare.Web.Hosting;

/// <summary>
/// Bodies for bare error statuses: a page a person can read for a browser that asked for a page that does not exist,
/// problem+json (with a detail that says what is wrong) for everything else.
/// </summary>
public static class StatusCodePages
{
    public static IApplicationBuilder UseReadableStatusCodePages(this IApplicationBuilder app) => app.UseStatusCodePages(async context =>
    {
        var http = context.HttpContext;
        if (http.Response.StatusCode == StatusCodes.Status404NotFound && WantsPage(http.Request))
        {
            http.Response.ContentType = "text/html; charset=utf-8";
            await http.Response.WriteAsync(NotFoundPage(http.Request.Path));
            return;
        }
        var written = await http.RequestServices.GetRequiredService<IProblemDetailsService>().TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails = new ProblemDetails { Status = http.Response.StatusCode },
        });
        if (!written)
        {
            // A client that accepts no JSON still gets a line that says what happened.
            http.Response.ContentType = "text/plain; charset=utf-8";
            await http.Response.WriteAsync($"{http.Response.StatusCode} {ReasonPhrases.GetReasonPhrase(http.Response.StatusCode)}: {http.Request.Method} {http.Request.Path}");
        }
    });

    private static bool WantsPage(HttpRequest request) =>
        !request.Path.StartsWithSegments("/api") && !request.Path.StartsWithSegments("/hubs") && !request.Path.StartsWithSegments("/openapi")
        && request.GetTypedHeaders().Accept.Any(a => a.MediaType.Equals("text/html", StringComparison.OrdinalIgnoreCase));

    private static string NotFoundPage(PathString path) => $$"""
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>Not found · WeightShareWeb</title>
        <style>
          body { font-family: Roboto, system-ui, sans-serif; background: #f5f5f5; display: flex; justify-content: center; padding-top: 12vh; margin: 0; }
          main { background: #fff; padding: 2rem; border-radius: 8px; box-shadow: 0 1px 4px rgba(0,0,0,.2); width: min(30rem, 90vw); }
          h1 { font-size: 1.4rem; margin: 0 0 1rem; } a { color: #594ae2; } code { background: #eee; padding: 0 .2rem; }
        </style></head>
        <body><main>
          <h1>There is nothing at <code>{{WebUtility.HtmlEncode(path.Value)}}</code></h1>
          <p>The address may be mistyped, or what it showed was deleted.</p>
          <p><a href="/">The runs</a> · <a href="/runs/new">New run</a> · <a href="/api-explorer/">The API</a></p>
        </main></body></html>
        """;
}
