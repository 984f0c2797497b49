using WeightShare.EndToEnd.Tests.Infrastructure;
using WeightShare.EndToEnd.Tests.Pages;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace WeightShare.EndToEnd.Tests;

/// <summary>The upload page's answers to files it cannot use.</summary>
public sealed class NewRunPageTests(AppFixture fixture, ITestOutputHelper output) : BrowserTest(fixture, output), IDisposable
{
    private readonly string _scratch = Directory.CreateTempSubdirectory("wsw-e2e-files-").FullName;

    [Fact]
    public async Task UploadModel_TextFile_ShowsTheServersProblemDetail()
    {
        // Arrange: a text file, and what the API itself says about it.
        var notes = Path.Combine(_scratch, "notes.txt");
        await File.WriteAllTextAsync(notes, "These are my notes, not a model.\n");
        var (status, problem) = await Fixture.Api.PostModelAsync(notes);
        var detail = (string?)problem["detail"];
        Assert.Equal(415, status);
        Assert.False(string.IsNullOrWhiteSpace(detail));
        var page = await new NewRunPageObject(Page).GotoAsync();

        // Act
        await page.UploadModelAsync(notes);

        // Assert: the alert carries the server's words, no summary appears, and the run cannot start.
        await Expect(page.ModelError).ToHaveTextAsync(detail!);
        Assert.Contains("not a TorchScript, PyTorch, safetensors or ONNX file", detail, StringComparison.Ordinal);
        await Expect(page.ModelSummary).ToHaveCountAsync(0);
        await Expect(page.StartButton).ToBeDisabledAsync();
        AssertNoErrors("/api/models");
    }

    [Fact]
    public async Task UploadModel_ServerQueueFullOnce_SaysSoThenSendsAgainAfterRetryAfterAndStoresIt()
    {
        // Arrange: the first upload the server gets is refused as a full queue is (429, Retry-After: 1); the browser's
        // later requests reach the real server.
        var refused = 0;
        await Page.RouteAsync("**/api/models", async route =>
        {
            if (route.Request.Method == "POST" && Interlocked.Increment(ref refused) == 1)
            {
                await route.FulfillAsync(new()
                {
                    Status = 429,
                    Headers = new Dictionary<string, string> { ["Retry-After"] = "1" },
                    ContentType = "application/problem+json",
                    Body = """{"status":429,"detail":"This server is already parsing or rebuilding 4 files."}""",
                });
                return;
            }
            await route.ContinueAsync();
        });
        var page = await new NewRunPageObject(Page).GotoAsync();

        // Act
        await page.UploadModelAsync(FixtureFiles.CnnModel);

        // Assert: the page says why it waits, then the second attempt stores the model and no error is shown.
        await Expect(Page.GetByTestId("model-drop-busy")).ToContainTextAsync("sending again in 1 s (attempt 2)");
        await Expect(page.ModelSummary).ToBeVisibleAsync();
        await Expect(page.ModelError).ToHaveCountAsync(0);
        await Expect(Page.GetByTestId("model-drop-busy")).ToHaveCountAsync(0);
        Assert.Equal(2, Volatile.Read(ref refused));
        AssertNoErrors("/api/models");
    }

    public void Dispose() => Directory.Delete(_scratch, recursive: true);
}
