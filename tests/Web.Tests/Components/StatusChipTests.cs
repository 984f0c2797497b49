using Bunit;
using MudBlazor;
using WeightShare.Web.Components.Shared;

namespace WeightShare.Web.Tests.Components;

/// <summary>Each run status reads at a glance.</summary>
public sealed class StatusChipTests : ComponentTestBase
{
    [Theory]
    [InlineData("Succeeded", Color.Success)]
    [InlineData("Failed", Color.Error)]
    [InlineData("Canceled", Color.Default)]
    [InlineData("Queued", Color.Info)]
    [InlineData("Running", Color.Primary)]
    [InlineData("Merging", Color.Primary)]
    public void ColorOf_Status_IsItsColour(string status, Color expected)
    {
        Assert.Equal(expected, StatusChip.ColorOf(status));
    }

    [Theory]
    [InlineData("Succeeded", "success")]
    [InlineData("Failed", "error")]
    [InlineData("Queued", "info")]
    public void StatusChip_Status_RendersItsNameInItsColour(string status, string colour)
    {
        var cut = Render<StatusChip>(p => p.Add(c => c.Status, status));

        var chip = cut.Find("[data-testid=status]");
        Assert.Equal(status, chip.TextContent.Trim());
        Assert.Contains($"mud-chip-color-{colour}", chip.ClassName);
    }
}
