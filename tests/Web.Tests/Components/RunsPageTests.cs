using Bunit;
using WeightShare.Web.Components.Pages.Runs;
using WeightShare.Web.Tests.Infrastructure;

namespace WeightShare.Web.Tests.Components;

/// <summary>The runs list (/) rendered over real storage.</summary>
[Collection(FinishedRunCollection.Name)]
public sealed class RunsPageTests(FinishedRunFixture run) : ComponentTestBase
{
    [Fact]
    public void RunsPage_FinishedRun_ListsItWithItsStatusModelAndLink()
    {
        UseAppServices(run.Factory.Services);

        var cut = Render<RunsPage>();

        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("[data-testid=runs-table] tbody tr")));
        var row = Assert.Single(cut.FindAll("[data-testid=runs-table] tbody tr"));
        Assert.Equal("Succeeded", row.QuerySelector("[data-testid=status]")?.TextContent.Trim());
        Assert.Contains(Fixtures.Cnn, row.TextContent);
        Assert.NotNull(row.QuerySelector($"a[href='/runs/{run.RunId}']"));
        Assert.NotNull(row.QuerySelector("[data-testid=delete-run]"));
        // The fixture run: the paper codec, 8 per generation for 4 generations (FinishedRunFixture).
        Assert.StartsWith("paper · ", row.QuerySelector("[data-testid=run-settings]")?.TextContent.Trim(), StringComparison.Ordinal);
        Assert.Contains("up to 4 generations", row.QuerySelector("[data-testid=run-settings]")?.TextContent, StringComparison.Ordinal);
        Assert.Matches(@"\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC", row.TextContent);
    }

    [Fact]
    public async Task RunsPage_EmptyDatabase_InvitesTheFirstRun()
    {
        var storage = new JobsServices();
        await storage.InitializeAsync();
        try
        {
            UseAppServices(storage.Services);

            var cut = Render<RunsPage>();

            cut.WaitForAssertion(() => Assert.Contains("No runs yet", cut.Markup));
            Assert.Empty(cut.FindAll("[data-testid=runs-table]"));
            Assert.NotEmpty(cut.FindAll("a[href='/runs/new']"));
        }
        finally
        {
            await DisposeComponentsAsync();
            await storage.DisposeAsync();
        }
    }
}
