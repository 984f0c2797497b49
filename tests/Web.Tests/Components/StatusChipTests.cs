using Bunit;
using MudBlazor;
using WeightShare.Jobs.Runs;
using WeightShare.Web.Components.Shared;

namespace WeightShare.Web.Tests.Components;

/// <summary>Each run status reads at a glance.</summary>
public sealed class StatusChipTests : ComponentTestBase
{
    [Theory]
    [InlineData(RunStatus.Succeeded, Color.Success)]
    [InlineData(RunStatus.Failed, Color.Error)]
    [InlineData(RunStatus.Canceled, Color.Default)]
    [InlineData(RunStatus.Queued, Color.Info)]
    [InlineData(RunStatus.Running, Color.Primary)]
    public void ColorOf_Status_IsItsColour(RunStatus status, Color expected)
    {
        Assert.Equal(expected, StatusChip.ColorOf(status));
    }

    [Theory]
    [InlineData(RunStatus.Succeeded, "success")]
    [InlineData(RunStatus.Failed, "error")]
    [InlineData(RunStatus.Queued, "info")]
    public void StatusChip_Status_RendersItsNameInItsColour(RunStatus status, string colour)
    {
        var cut = Render<StatusChip>(p => p.Add(c => c.Status, status));

        var chip = cut.Find("[data-testid=status]");
        Assert.Equal(status.ToString(), chip.TextContent.Trim());
        Assert.Contains($"mud-chip-color-{colour}", chip.ClassName);
    }
}
