using System.Collections.Concurrent;
using WeightShare.EndToEnd.Tests.Infrastructure;
using WeightShare.EndToEnd.Tests.Pages;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace WeightShare.EndToEnd.Tests;

/// <summary>/api-explorer: Scalar's reference over the app's OpenAPI document, as a user offline sees it.</summary>
public sealed class ApiExplorerTests(AppFixture fixture, ITestOutputHelper output) : BrowserTest(fixture, output)
{
    [Fact]
    public async Task ApiExplorer_Opened_RequestsNothingOffTheServerAndShowsOnlyThisApi()
    {
        // Arrange: every request the page makes is recorded; those off the app's host are stopped there, so the
        // test needs no network and sees them even where the machine is offline.
        var offServer = new ConcurrentQueue<string>();
        await Page.Context.RouteAsync("**/*", async route =>
        {
            var url = new Uri(route.Request.Url);
            if (url.Scheme is "data" or "blob" || url.Authority == Fixture.BaseAddress.Authority)
            {
                await route.ContinueAsync();
                return;
            }
            offServer.Enqueue(route.Request.Url);
            await route.AbortAsync();
        });

        // Act: open it and let it load everything it wants (fonts load once text is laid out).
        var explorer = await new ApiExplorerPageObject(Page).GotoAsync();
        await Page.EvaluateAsync("() => document.fonts.ready");
        await Page.WaitForLoadStateAsync(LoadState.NetworkIdle);

        // Assert: nothing fetched elsewhere; "Models" once (the tag; the schemas are under their own name); the token
        // placeholder in the auth hint; none of Scalar's hosted services' buttons.
        Assert.True(offServer.IsEmpty, "Requests off the server:\n" + string.Join("\n", offServer));
        await Expect(explorer.SidebarEntries("Models")).ToHaveCountAsync(1);
        await Expect(explorer.SidebarEntries("Schemas")).ToHaveCountAsync(1);
        await Expect(explorer.Text("Authorization: Bearer <token>")).ToBeVisibleAsync();
        foreach (var button in new[] { "Ask AI", "Deploy", "Generate SDK" })
        {
            await Expect(explorer.Text(button)).ToHaveCountAsync(0);
        }
        AssertLoaded("/js/api-explorer.js");
        AssertNoErrors();
    }
}
