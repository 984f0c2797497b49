using Microsoft.AspNetCore.Components;
using MudBlazor;
using WeightShare.Engine.Pipeline;
using WeightShare.Jobs.Runs;
using WeightShare.Web.Components.Shared;

namespace WeightShare.Web.Components.Pages.Run;

/// <summary>
/// Cancel on the run page: asked for once, and a canceled run that says where it stopped and what it kept. Apart
/// from RunPage.razor.cs, which follows the run's live feed.
/// </summary>
public partial class RunPage
{
    [Inject] private IDialogService Dialogs { get; set; } = default!;

    private bool IsCanceled => _run?.Status == RunStatus.Canceled;

    private async Task ConfirmCancelAsync()
    {
        var confirmed = await Dialogs.ShowMessageBoxAsync("Cancel the run?",
            "The run stops within one evaluation and makes no solutions: there will be nothing to download. The generations it has searched stay on the chart and in the exports."
            + (CanStopSearch ? " To keep the best files found so far, use Stop and keep instead." : ""),
            yesText: "Cancel the run", cancelText: "Keep it running");
        if (confirmed == true)
        {
            await CancelAsync();
        }
    }

    /// <summary>A final run's phase figure: where it stopped, not "Done".</summary>
    private string StoppedPhaseText => _run!.Status switch
    {
        RunStatus.Succeeded => "Done",
        RunStatus.Canceled when _run.StartedAt is null => "Canceled before it started",
        _ => $"{_run.Status} in {PhaseName(_run.Phase)}",
    };

    /// <summary>What a canceled run kept, in place of the progress and of the solutions it never made.</summary>
    private string CanceledText => _run!.StartedAt is null || _run.Generation == 0
        ? $"Canceled {(_run.StartedAt is null ? "before it started" : $"in its {PhaseName(_run.Phase)}, before its first generation")}: it kept nothing but its settings and notes."
        : $"Canceled in its {PhaseName(_run.Phase)} after generation {_run.Generation} of {_run.Generations}: it made no solutions, so there is nothing to download. "
          + $"It kept the {Format.Count(_run.Evaluations)} evaluations of those generations: on the chart above and in the exports (Every evaluation CSV, Generations JSON, Report).";

    private static string PhaseName(PipelinePhase phase) => phase.ToString().ToLowerInvariant();
}
