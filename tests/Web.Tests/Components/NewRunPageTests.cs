using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using WeightShare.Web.Api;
using WeightShare.Web.Components.Pages.NewRun;
using WeightShare.Web.Tests.Infrastructure;

namespace WeightShare.Web.Tests.Components;

/// <summary>
/// The new-run page (/runs/new) over a host's real uploads, chosen as earlier uploads: drop zones need a browser, the
/// earlier-upload lists take the same models and datasets.
/// </summary>
public sealed class NewRunPageTests(CatalogFixture catalog) : ComponentTestBase, IClassFixture<CatalogFixture>
{
    private RunQueries Queries => catalog.Factory.Services.GetRequiredService<RunQueries>();

    [Fact]
    public async Task Start_ThreeFieldsOutOfRange_ShowsThreeMessagesInThePagesWordsAndStartsNoRun()
    {
        // Arrange: the fixture CNN on Fashion-MNIST, ready to start.
        var runsBefore = (await Queries.RunsAsync()).Count;
        var cut = await RenderCnnOnFashionMnistAsync();
        var start = Navigation.Uri;

        // Act: three fields a user got wrong (once clamped silently), then Start.
        cut.Find("input[data-testid=population]").Change("0");
        cut.Find("input[data-testid=calibration-steps]").Change("-7");
        cut.Find("input[data-testid=kmax]").Change("1");
        cut.Find("button[data-testid=start]").Click();

        // Assert: each problem next to its field, in the page's labels; nothing rewritten, nothing started.
        var errors = cut.FindAll(".mud-input-helper-text.mud-input-error").Select(e => e.TextContent.Trim()).Where(t => t.Length > 0).ToList();
        Assert.Equal(
            ["Population must be between 4 and 10000.", "k max must be greater than k min.", "Calibration steps must be between 0 and 100000."],
            errors);
        Assert.Equal("0", cut.Find("input[data-testid=population]").GetAttribute("value"));
        Assert.Contains("3 settings need changing", cut.Find("[data-testid=settings-problems]").TextContent);
        Assert.Equal(start, Navigation.Uri);
        Assert.Equal(runsBefore, (await Queries.RunsAsync()).Count);
    }

    [Fact]
    public async Task Start_SeedNotANumber_SaysSoInsteadOfRunningWithZero()
    {
        var cut = await RenderCnnOnFashionMnistAsync();

        cut.Find("input[data-testid=seed]").Change("abc");
        cut.Find("button[data-testid=start]").Click();

        Assert.Contains("Seed must be a number.", cut.FindAll(".mud-input-helper-text.mud-input-error").Select(e => e.TextContent.Trim()));
        Assert.Contains("One setting needs changing", cut.Find("[data-testid=settings-problems]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EarlierDataset_RawIdxWithPreprocessingNone_WarnsAndNamesTheFashionMnistPreset()
    {
        // Arrange: the same IDX pair uploaded with preprocessing None (its bytes, 0 to 255).
        using var response = await catalog.Client.PostFashionMnistAsync(preprocessing: null);
        var rawId = (await response.JsonAsync(System.Net.HttpStatusCode.Created)).GetProperty("id").GetString()!;
        UseAppServices(catalog.Factory.Services);
        var cut = Render<NewRunPage>();

        // Act
        await ChooseAsync(cut, catalog.CnnId, rawId);

        // Assert
        var warning = cut.Find("[data-testid=range-warning]").TextContent;
        Assert.Contains("0 to 255", warning);
        Assert.Contains("\"MNIST\" or \"Fashion-MNIST\" preset", warning);
    }

    [Fact]
    public async Task EarlierDataset_NormalisedIdx_NoWarning()
    {
        var cut = await RenderCnnOnFashionMnistAsync();

        Assert.NotEmpty(cut.FindAll("[data-testid=dataset-range]"));
        Assert.Empty(cut.FindAll("[data-testid=range-warning]"));
    }

    [Fact]
    public async Task EarlierModel_StateDict_OffersNeitherCalibrationNorDebugTables()
    {
        // Arrange: the TorchScript CNN offers both (the default codec calibrates and can drop the debug tables).
        var cut = await RenderCnnOnFashionMnistAsync();
        Assert.NotEmpty(cut.FindAll("[data-testid=drop-debug-tables]"));
        Assert.Contains("Calibrate front points", cut.Markup);

        // Act: its state_dict, which runs data-free.
        await ChooseAsync(cut, catalog.StateDictId, datasetId: null);

        // Assert
        Assert.NotEmpty(cut.FindAll("[data-testid=data-free-note]"));
        Assert.Empty(cut.FindAll("[data-testid=drop-debug-tables]"));
        Assert.DoesNotContain("Calibrate front points", cut.Markup);
        Assert.Empty(cut.FindAll("[data-testid=calibration-steps]"));
    }

    private Bunit.TestDoubles.BunitNavigationManager Navigation => Services.GetRequiredService<Bunit.TestDoubles.BunitNavigationManager>();

    /// <summary>The page with the fixture CNN and the normalised Fashion-MNIST chosen: ready to start.</summary>
    private async Task<IRenderedComponent<NewRunPage>> RenderCnnOnFashionMnistAsync()
    {
        UseAppServices(catalog.Factory.Services);
        var cut = Render<NewRunPage>();
        await ChooseAsync(cut, catalog.CnnId, catalog.FashionMnistId);
        return cut;
    }

    /// <summary>Chooses earlier uploads through the page's own handlers, as picking them in its lists does.</summary>
    private async Task ChooseAsync(IRenderedComponent<NewRunPage> cut, string modelId, string? datasetId)
    {
        var model = (await Queries.ModelsAsync()).Single(m => m.Id == modelId);
        cut.WaitForAssertion(() => cut.FindComponent<MudSelect<ModelInfo>>());
        await cut.InvokeAsync(() => cut.FindComponent<MudSelect<ModelInfo>>().Instance.ValueChanged.InvokeAsync(model));
        if (datasetId is not null)
        {
            var dataset = (await Queries.DatasetsAsync()).Single(d => d.Id == datasetId);
            await cut.InvokeAsync(() => cut.FindComponent<MudSelect<DatasetInfo>>().Instance.ValueChanged.InvokeAsync(dataset));
        }
    }
}
