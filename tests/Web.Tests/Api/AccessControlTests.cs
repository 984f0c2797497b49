using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.RegularExpressions;
using WeightShare.Web.Access;
using WeightShare.Web.Tests.Infrastructure;

namespace WeightShare.Web.Tests.Api;

/// <summary>Bound to every address with access tokens configured: nothing answers without one, everything with one.</summary>
public sealed partial class AccessControlTests(TokenAppFactory factory) : IClassFixture<TokenAppFactory>
{
    [Fact]
    public async Task EveryOpenApiRoute_WithoutToken_Returns401AskingForABearerToken()
    {
        // Arrange: the document itself is read with a token.
        using var client = factory.CreateSocketClient();
        var document = await ReadOpenApiAsync(client);
        var routes = document.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject().Select(method => (Method: method.Name.ToUpperInvariant(), Path: Placeholder().Replace(path.Name, "x"))))
            .ToList();
        Assert.True(routes.Count >= 15, $"Only {routes.Count} routes in the OpenAPI document.");

        foreach (var (method, path) in routes)
        {
            // Act
            using var request = new HttpRequestMessage(new HttpMethod(method), path.TrimStart('/'));
            using var response = await client.SendAsync(request);

            // Assert
            Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{method} {path} answered {(int)response.StatusCode} without a token.");
            Assert.Contains(response.Headers.WwwAuthenticate, h => h.Scheme == "Bearer");
        }
    }

    [Theory]
    [InlineData("wrong-token")]
    [InlineData("")]
    public async Task ApiWithAWrongToken_Returns401SayingSo(string token)
    {
        using var client = factory.CreateSocketClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/runs");
        request.Headers.TryAddWithoutValidation("Authorization", $"Bearer {token}");

        using var response = await client.SendAsync(request);

        var detail = await response.ProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Contains("token", detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(TokenAppFactory.Token)]
    [InlineData(TokenAppFactory.HashedToken)]
    public async Task ApiWithAConfiguredToken_Works(string token)
    {
        using var client = factory.CreateSocketClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

        using var runs = await client.GetAsync("api/runs");
        using var upload = await client.PostFixtureAsync("api/models", Fixtures.Cnn);

        Assert.Equal(HttpStatusCode.OK, runs.StatusCode);
        Assert.Equal(HttpStatusCode.Created, upload.StatusCode);
    }

    [Fact]
    public async Task Hub_NeedsTheTokenAsHeaderOrQuery()
    {
        using var client = factory.CreateSocketClient();

        using var without = await client.PostAsync("hubs/runs/negotiate?negotiateVersion=1", null);
        using var query = await client.PostAsync($"hubs/runs/negotiate?negotiateVersion=1&access_token={TokenAppFactory.Token}", null);
        using var header = new HttpRequestMessage(HttpMethod.Post, "hubs/runs/negotiate?negotiateVersion=1");
        header.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TokenAppFactory.Token);
        using var withHeader = await client.SendAsync(header);

        Assert.Equal(HttpStatusCode.Unauthorized, without.StatusCode);
        Assert.Equal(HttpStatusCode.OK, query.StatusCode);
        Assert.Equal(HttpStatusCode.OK, withHeader.StatusCode);
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/runs/new")]
    [InlineData("/hangfire")]
    [InlineData("/api-explorer/")]
    public async Task Pages_WithoutSignIn_RedirectToTheSignInPage(string page)
    {
        using var client = factory.CreateSocketClient();

        using var response = await client.GetAsync(page.TrimStart('/'));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/signin", response.Headers.Location?.PathAndQuery, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignIn_WithTheToken_OpensThePagesAndTheDashboard_WrongTokenDoesNot()
    {
        // Arrange: a browser keeps cookies.
        using var handler = new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() };
        using var browser = new HttpClient(handler) { BaseAddress = factory.ServerAddress };

        // Act
        using var wrong = await SignInAsync(browser, "not-it");
        using var before = await browser.GetAsync("runs/new");
        using var right = await SignInAsync(browser, TokenAppFactory.Token);
        using var page = await browser.GetAsync("runs/new");
        using var dashboard = await browser.GetAsync("hangfire");
        using var download = await browser.GetAsync("api/runs");

        // Assert
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Contains("not an access token", await wrong.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, before.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, right.StatusCode);
        Assert.Equal("/runs/new", right.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("New run", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, dashboard.StatusCode);
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
    }

    [Theory]
    [InlineData("//evil.example/x")]
    [InlineData("/\\evil.example/x")]
    [InlineData("/\t/evil.example")]
    [InlineData("https://evil.example/")]
    public async Task SignIn_ReturnUrlOffThisSite_GoesHomeInstead(string returnUrl)
    {
        using var handler = new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() };
        using var browser = new HttpClient(handler) { BaseAddress = factory.ServerAddress };

        using var response = await SignInAsync(browser, TokenAppFactory.Token, returnUrl);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/", response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task HealthAndSignInPage_StayOpen()
    {
        using var client = factory.CreateSocketClient();

        using var health = await client.GetAsync("health");
        using var signIn = await client.GetAsync("signin");

        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);
        Assert.Contains("Access token", await signIn.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://localhost:5080", true)]
    [InlineData("http://127.0.0.1:5080", true)]
    [InlineData("http://[::1]:5080", true)]
    [InlineData("http://[::]:5080", false)]
    [InlineData("http://0.0.0.0:5080", false)]
    [InlineData("http://+:80", false)]
    [InlineData("http://*:80", false)]
    [InlineData("http://192.168.1.20:5080", false)]
    [InlineData("https://team-server:443", false)]
    public void IsLoopback_ServerAddresses(string address, bool loopback) =>
        Assert.Equal(loopback, NetworkExposureGuard.IsLoopback(address));

    private static async Task<HttpResponseMessage> SignInAsync(HttpClient browser, string token, string returnUrl = "/runs/new")
    {
        var form = await browser.GetStringAsync("signin?returnUrl=%2Fruns%2Fnew");
        var field = AntiforgeryField().Match(form);
        Assert.True(field.Success, "The sign-in page has no antiforgery field.");
        using var content = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            [WebUtility.HtmlDecode(field.Groups["name"].Value)] = WebUtility.HtmlDecode(field.Groups["value"].Value),
            ["token"] = token,
            ["returnUrl"] = returnUrl,
        });
        return await browser.PostAsync("signin", content);
    }

    private static async Task<JsonElement> ReadOpenApiAsync(HttpClient client)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "openapi/v1.json");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TokenAppFactory.Token);
        using var response = await client.SendAsync(request);
        return await response.JsonAsync(HttpStatusCode.OK);
    }

    [GeneratedRegex("\\{[^}]+\\}")]
    private static partial Regex Placeholder();

    [GeneratedRegex("<input type=\"hidden\" name=\"(?<name>__RequestVerificationToken[^\"]*)\" value=\"(?<value>[^\"]+)\">")]
    private static partial Regex AntiforgeryField();
}
