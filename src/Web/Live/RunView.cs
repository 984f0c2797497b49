using System.Threading.Channels;
using WeightShare.Jobs.Events;
using WeightShare.Web.Api;
using WeightShare.Web.Components.Charts;
using WeightShare.Web.Components.Shared;

namespace WeightShare.Web.Live;

/// <summary>
/// One page's live view of one run: the only source the page renders from. It reads the run from the database, then
/// (when live) follows the run's events from <see cref="RunNotifier"/>, which carries this process's jobs' events and,
/// scaled out, those of every worker through <see cref="PostgreSqlRunEventListener"/>. Every change goes through one
/// queue in arrival order: an event, a fallback poll, a refresh the page asks for. A generation that skips ahead of
/// the last one held is filled in from the database; a generation or status reads the stored run again (its counters,
/// timings and so throughput live there); while no event comes for <see cref="PollInterval"/>, the run is read again.
/// Each change publishes a new immutable <see cref="RunSnapshot"/>.
/// </summary>
public sealed class RunView : IAsyncDisposable
{
    /// <summary>How long the view waits without an event before it reads the database itself.</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(3);

    private readonly RunQueries _queries;
    private readonly RunNotifier _notifier;
    private readonly ILogger _logger;
    private readonly Func<RunSnapshot, Task> _changed;
    private readonly TimeSpan _pollInterval;
    private readonly Channel<object> _work = Channel.CreateUnbounded<object>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _closed = new();
    private IDisposable? _subscription;
    private Task _pump = Task.CompletedTask;
    private Task _poll = Task.CompletedTask;
    private DateTime _lastHeard = DateTime.UtcNow;

    /// <param name="changed">Called with each new snapshot, one call at a time, after <see cref="StartAsync"/>.</param>
    public RunView(string runId, RunQueries queries, RunNotifier notifier, ILogger<RunView> logger, Func<RunSnapshot, Task> changed, TimeSpan? pollInterval = null)
    {
        RunId = runId;
        (_queries, _notifier, _logger, _changed) = (queries, notifier, logger, changed);
        _pollInterval = pollInterval ?? PollInterval;
    }

    public string RunId { get; }

    /// <summary>The latest snapshot.</summary>
    public RunSnapshot Current { get; private set; } = RunSnapshot.Empty;

    /// <summary>
    /// Reads the run; when <paramref name="live"/>, subscribes to its events first (so nothing committed during the
    /// read is missed: what the read already holds is dropped by generation number) and follows it from then on.
    /// </summary>
    public async Task StartAsync(bool live, CancellationToken cancellationToken = default)
    {
        if (live)
        {
            _subscription = _notifier.Subscribe(RunId, notification =>
            {
                _work.Writer.TryWrite(notification);
                return Task.CompletedTask;
            });
        }
        var run = await _queries.RunAsync(RunId, cancellationToken);
        if (run is null)
        {
            Current = RunSnapshot.Empty with { NotFound = true };
            return;
        }
        Current = new RunSnapshot(
            run,
            await _queries.ModelAsync(run.ModelId, cancellationToken),
            [.. await _queries.GenerationsAfterAsync(RunId, 0, cancellationToken)],
            await _queries.SolutionsAsync(RunId, cancellationToken) ?? [],
            []);
        if (live)
        {
            _lastHeard = DateTime.UtcNow;
            _pump = Task.Run(() => PumpAsync(_closed.Token), CancellationToken.None);
            _poll = Task.Run(() => PollAsync(_closed.Token), CancellationToken.None);
        }
    }

    /// <summary>Reads the run and its solutions again (after the page changed them) and publishes the result.</summary>
    public async Task RefreshAsync()
    {
        if (_subscription is null)
        {
            await ApplyAsync(Refresh.Instance, _closed.Token);
            return;
        }
        var done = new Refresh();
        _work.Writer.TryWrite(done);
        await done.Applied.Task.WaitAsync(_closed.Token);
    }

    public async ValueTask DisposeAsync()
    {
        _subscription?.Dispose();
        _work.Writer.TryComplete();
        await _closed.CancelAsync();
        await Task.WhenAll(_pump, _poll).ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
        _closed.Dispose();
    }

    private async Task PumpAsync(CancellationToken closed)
    {
        try
        {
            while (await _work.Reader.WaitToReadAsync(closed))
            {
                // Everything queued so far is applied before one snapshot goes out: a burst renders once.
                while (_work.Reader.TryRead(out var item))
                {
                    try
                    {
                        await ApplyAsync(item, closed);
                    }
                    catch (Exception e) when (e is not OperationCanceledException)
                    {
                        _logger.LogWarning(e, "Run {RunId}'s page could not take {Item} in; the next event or poll reads the database again", RunId, item.GetType().Name);
                    }
                    (item as Refresh)?.Applied.TrySetResult();
                }
                try
                {
                    await _changed(Current);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    _logger.LogWarning(e, "Run {RunId}'s page could not show its latest snapshot", RunId);
                }
            }
        }
        catch (OperationCanceledException) when (closed.IsCancellationRequested)
        {
        }
    }

    private async Task PollAsync(CancellationToken closed)
    {
        using var timer = new PeriodicTimer(_pollInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(closed) && Current.Run is { IsFinal: false })
            {
                if (DateTime.UtcNow - _lastHeard >= _pollInterval)
                {
                    _work.Writer.TryWrite(Poll.Instance);
                }
            }
        }
        catch (OperationCanceledException) when (closed.IsCancellationRequested)
        {
        }
    }

    private async Task ApplyAsync(object item, CancellationToken cancellationToken)
    {
        var now = Current;
        switch (item)
        {
            case GenerationCompleted generation:
                _lastHeard = DateTime.UtcNow;
                var last = now.Generations.Count == 0 ? 0 : now.Generations[^1].Generation;
                if (generation.Generation <= last)
                {
                    return;
                }
                var added = generation.Generation == last + 1
                    ? [GenerationInfo.Of(generation)]
                    : await _queries.GenerationsAfterAsync(RunId, last, cancellationToken);
                // A throttled tick can be older than the generation just committed: its line goes.
                now = now with { Generations = now.Generations.AddRange(added), ProgressMessage = null };
                Current = await WithRunAsync(now, solutions: false, cancellationToken);
                break;
            case MergeStepCompleted step:
                _lastHeard = DateTime.UtcNow;
                Current = now with
                {
                    MergeSteps = now.MergeSteps.Add(step),
                    ProgressMessage = $"Refining {(step.Parameters is { Count: > 0 } ? ParetoPlot.Label(step.Parameters) : "a front point")}: {step.SharedValues} shared values at {Format.Percent(step.ValidationAccuracy)}",
                };
                break;
            case RunProgress progress:
                _lastHeard = DateTime.UtcNow;
                now = now with { ProgressMessage = progress.Message, LiveProgress = progress.Fraction, RemainingSeconds = progress.RemainingSeconds, RemainingAt = DateTime.UtcNow };
                // A new phase means the job stored what the last one found (the baseline before the search): read it.
                Current = now.Run is { } run && run.Phase != progress.Phase
                    ? await WithRunAsync(now, solutions: true, cancellationToken)
                    : now with { Run = now.Run! with { Phase = progress.Phase } };
                break;
            case RunStatusChanged:
                _lastHeard = DateTime.UtcNow;
                Current = await WithRunAsync(now with { ProgressMessage = null }, solutions: true, cancellationToken);
                break;
            case Poll:
                var stored = await _queries.GenerationsAfterAsync(RunId, now.Generations.Count == 0 ? 0 : now.Generations[^1].Generation, cancellationToken);
                Current = await WithRunAsync(now with { Generations = now.Generations.AddRange(stored) }, solutions: true, cancellationToken);
                break;
            case Refresh:
                Current = await WithRunAsync(now, solutions: true, cancellationToken);
                break;
        }
    }

    private async Task<RunSnapshot> WithRunAsync(RunSnapshot snapshot, bool solutions, CancellationToken cancellationToken)
    {
        var run = await _queries.RunAsync(RunId, cancellationToken) ?? snapshot.Run;
        return snapshot with
        {
            Run = run,
            Solutions = solutions ? await _queries.SolutionsAsync(RunId, cancellationToken) ?? snapshot.Solutions : snapshot.Solutions,
        };
    }

    private sealed class Poll
    {
        public static readonly Poll Instance = new();
    }

    private sealed class Refresh
    {
        public static readonly Refresh Instance = new();

        public TaskCompletionSource Applied { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
