using Microsoft.AspNetCore.SignalR;
using WeightShare.Jobs.Events;
using WeightShare.Web.Api;
using WeightShare.Web.Hubs;

namespace WeightShare.Web.Live;

/// <summary>
/// The web host's <see cref="IRunEvents"/>: each event goes to the pages through <see cref="RunNotifier"/> and to hub
/// listeners through the run's group. The job calls these one at a time, so both see every event once, in order.
/// </summary>
public sealed class RunEventsBroadcaster(RunNotifier notifier, IHubContext<RunsHub> hub) : IRunEvents
{
    public async ValueTask GenerationCompletedAsync(GenerationCompleted generation, CancellationToken cancellationToken)
    {
        await notifier.PublishAsync(generation.RunId, generation);
        await Group(generation.RunId).SendAsync("Generation", GenerationInfo.Of(generation), cancellationToken);
    }

    public async ValueTask StatusChangedAsync(RunStatusChanged status, CancellationToken cancellationToken)
    {
        await notifier.PublishAsync(status.RunId, status);
        await Group(status.RunId).SendAsync("Status", new RunStatusMessage(status.RunId, status.Status.ToString(), status.Error), cancellationToken);
    }

    public async ValueTask MergeStepAsync(MergeStepCompleted mergeStep, CancellationToken cancellationToken)
    {
        await notifier.PublishAsync(mergeStep.RunId, mergeStep);
        await Group(mergeStep.RunId).SendAsync("Merge", mergeStep, cancellationToken);
    }

    public async ValueTask ProgressAsync(RunProgress progress, CancellationToken cancellationToken)
    {
        await notifier.PublishAsync(progress.RunId, progress);
        await Group(progress.RunId).SendAsync("Progress",
            new RunProgressMessage(progress.RunId, progress.Phase.ToString(), progress.Fraction, progress.Message, progress.RemainingSeconds), cancellationToken);
    }

    private IClientProxy Group(string runId) => hub.Clients.Group(RunsHub.GroupOf(runId));
}
