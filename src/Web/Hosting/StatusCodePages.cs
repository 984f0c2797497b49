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
        !Access.AccessControl.IsForScripts(request) && request.GetTypedHeaders().Accept.Any(a => a.MediaType.Equals("text/html", StringComparison.OrdinalIgnoreCase));

    private static string NotFoundPage(PathString path) => PlainPage.Html("Not found", $$"""
        <main>
          <h1>There is nothing at <code>{{WebUtility.HtmlEncode(path.Value)}}</code></h1>
          <p>The address may be mistyped, or what it showed was deleted.</p>
          <p><a href="/">The runs</a> · <a href="/runs/new">New run</a> · <a href="/api-explorer/">The API</a></p>
        </main>
        """);
}
