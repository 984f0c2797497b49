using System.Collections.Immutable;

namespace WeightShare.Web.Live;

/// <summary>
/// In-process fan-out of run events to the pages on this server: a page subscribes on its own circuit and gets
/// the Jobs event records (<see cref="Jobs.Events.GenerationCompleted"/>, <see cref="Jobs.Events.RunStatusChanged"/>,
/// <see cref="Jobs.Events.MergeStepCompleted"/>, <see cref="Jobs.Events.RunProgress"/>) in the order the run sent them.
/// </summary>
public sealed class RunNotifier(ILogger<RunNotifier> logger)
{
    private static readonly TimeSpan HandlerTimeout = TimeSpan.FromSeconds(2);

    private ImmutableList<Subscription> _subscriptions = [];

    /// <summary>Calls <paramref name="callback"/> for each event of run <paramref name="runId"/>, or of every run when it is null, until disposed.</summary>
    public IDisposable Subscribe(string? runId, Func<object, Task> callback)
    {
        var subscription = new Subscription(this, runId, callback);
        ImmutableInterlocked.Update(ref _subscriptions, list => list.Add(subscription));
        return subscription;
    }

    /// <summary>Delivers one event to its run's subscribers, one after another; a failing subscriber does not stop the rest.</summary>
    public async Task PublishAsync(string runId, object notification)
    {
        foreach (var subscription in _subscriptions)
        {
            if (subscription.RunId is not null && subscription.RunId != runId)
            {
                continue;
            }
            try
            {
                // A page queues the event on its circuit and returns; one that does not is left behind, not waited for,
                // so no page can stall the run. Its queue keeps the order of what it does receive.
                await subscription.Callback(notification).WaitAsync(HandlerTimeout);
            }
            catch (TimeoutException)
            {
                logger.LogWarning("A page's handler for run {RunId} took longer than {Timeout} on {Event}; the run went on", runId, HandlerTimeout, notification.GetType().Name);
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "A page's handler for run {RunId} failed on {Event}", runId, notification.GetType().Name);
            }
        }
    }

    private sealed class Subscription(RunNotifier owner, string? runId, Func<object, Task> callback) : IDisposable
    {
        public string? RunId { get; } = runId;

        public Func<object, Task> Callback { get; } = callback;

        public void Dispose() => ImmutableInterlocked.Update(ref owner._subscriptions, list => list.Remove(this));
    }
}
