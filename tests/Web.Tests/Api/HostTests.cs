using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using WeightShare.Web.Tests.Infrastructure;

namespace WeightShare.Web.Tests.Api;

/// <summary>api.md "Health", the OpenAPI document, the pages, and /hangfire with its default local-only rule.</summary>
public sealed class HostTests(WebAppFactory factory) : IClassFixture<WebAppFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    [Fact]
    public async Task GetHealth_DatabaseAndJobStorageAnswer_Returns200Healthy()
    {
        using var response = await _client.GetAsync("/health");

        var health = await response.JsonAsync(HttpStatusCode.OK);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("Healthy", health.GetProperty("status").GetString());
    }

    [Fact]
    public async Task GetOpenApi_Always_DescribesEveryApiMdPath()
    {
        var document = await _client.GetJsonAsync("/openapi/v1.json");

        var paths = document.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToHashSet();
        string[] apiMd =
        [
            "/api/models", "/api/models/{id}", "/api/datasets", "/api/datasets/{id}",
            "/api/runs", "/api/runs/{id}", "/api/runs/{id}/cancel", "/api/runs/{id}/generations", "/api/runs/{id}/solutions",
            "/api/solutions/{id}/compressed", "/api/solutions/{id}/checkpoint", "/api/decompress",
        ];
        Assert.All(apiMd, path => Assert.Contains(path, paths));
        var runs = document.GetProperty("paths").GetProperty("/api/runs");
        Assert.True(runs.TryGetProperty("get", out _) && runs.TryGetProperty("post", out _));
        var run = document.GetProperty("paths").GetProperty("/api/runs/{id}");
        Assert.True(run.TryGetProperty("get", out _) && run.TryGetProperty("delete", out _));
    }

    [Fact]
    public async Task GetOpenApi_Always_EveryOperationHasASummaryAndADescription()
    {
        var document = await _client.GetJsonAsync("/openapi/v1.json");

        Assert.Equal("WeightShareWeb API", document.GetProperty("info").GetProperty("title").GetString());
        var operations = document.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject().Select(operation => (Name: $"{operation.Name} {path.Name}", operation.Value))).ToList();
        Assert.True(operations.Count >= 15);
        Assert.All(operations, operation =>
        {
            Assert.True(operation.Value.TryGetProperty("summary", out var summary) && summary.GetString()!.Length > 5, $"{operation.Name} has no summary.");
            Assert.True(operation.Value.TryGetProperty("description", out var description) && description.GetString()!.Length > 20, $"{operation.Name} has no description.");
        });
    }

    [Fact]
    public async Task GetApiExplorer_Always_ServesTheExplorerAndItsScriptFromThisServer()
    {
        using var page = await _client.GetAsync("/api-explorer/");
        using var script = await _client.GetAsync("/api-explorer/scalar.js");

        var html = await page.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("WeightShareWeb API", html, StringComparison.Ordinal);
        Assert.Contains("scalar.js", html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
        Assert.True((await script.Content.ReadAsByteArrayAsync()).Length > 100_000);
    }

    [Fact]
    public async Task ApiRoute_WrongMethod_Returns405ProblemWithDetail()
    {
        using var response = await _client.PutAsync("/api/models", new StringContent(""));

        var detail = await response.ProblemAsync(HttpStatusCode.MethodNotAllowed);
        Assert.Contains("PUT", detail);
    }

    [Fact]
    public async Task UnknownPage_FromABrowser_Returns404PageSayingWhatIsMissing()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/runs/nowhere/at/all");
        request.Headers.Accept.ParseAdd("text/html,application/xhtml+xml,*/*;q=0.8");

        using var response = await _client.SendAsync(request);

        var html = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("There is nothing at <code>/runs/nowhere/at/all</code>", html, StringComparison.Ordinal);
        Assert.Contains("href=\"/\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownApiRoute_FromABrowser_StillReturnsAProblem()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/nothing-here");
        request.Headers.Accept.ParseAdd("text/html,application/xhtml+xml,*/*;q=0.8");

        using var response = await _client.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task ApiRoute_Unknown_Returns404ProblemWithDetail()
    {
        using var response = await _client.GetAsync("/api/nothing-here");

        var detail = await response.ProblemAsync(HttpStatusCode.NotFound);
        Assert.Contains("/api/nothing-here", detail);
    }

    [Theory]
    [InlineData("/", "<title>Runs · WeightShareWeb</title>")]
    [InlineData("/runs/new", "<title>New run · WeightShareWeb</title>")]
    [InlineData("/runs/no-such-run", "There is no run with id no-such-run")]
    public async Task GetPage_KnownRoute_Returns200Html(string url, string text)
    {
        using var response = await _client.GetAsync(url);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(text, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task GetHangfire_FromLoopback_ShowsTheDashboard()
    {
        var context = await factory.Server.SendAsync(c =>
        {
            c.Request.Method = "GET";
            c.Request.Path = "/hangfire";
            c.Connection.RemoteIpAddress = IPAddress.Loopback;
            c.Connection.LocalIpAddress = IPAddress.Loopback;
        });

        Assert.Equal(StatusCodes.Status200OK, context.Response.StatusCode);
        Assert.StartsWith("text/html", context.Response.ContentType);
    }

    [Fact]
    public async Task GetHangfire_FromAnotherMachine_IsRefusedByDefault()
    {
        var context = await factory.Server.SendAsync(c =>
        {
            c.Request.Method = "GET";
            c.Request.Path = "/hangfire";
            c.Connection.RemoteIpAddress = IPAddress.Parse("203.0.113.7");
            c.Connection.LocalIpAddress = IPAddress.Parse("192.0.2.1");
        });

        Assert.Equal(StatusCodes.Status401Unauthorized, context.Response.StatusCode);
    }

    [Fact]
    public async Task GetHangfire_TestServerWithoutAddress_IsRefusedAsNotLocal()
    {
        // TestServer requests carry no remote address, and Hangfire's local-only rule treats unknown as remote.
        using var response = await _client.GetAsync("/hangfire");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}
