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

    public void Dispose() => Directory.Delete(_scratch, recursive: true);
}
