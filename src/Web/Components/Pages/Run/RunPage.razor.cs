using Microsoft.AspNetCore.Components;
using MudBlazor;
using WeightShare.Engine.Evaluation;
using WeightShare.Engine.Metrics;
using WeightShare.Engine.Pipeline;
using WeightShare.Jobs.Events;
using WeightShare.Jobs.Runs;
using WeightShare.Web.Api;
using WeightShare.Web.Components.Charts;
using WeightShare.Web.Components.Shared;
using WeightShare.Web.Live;

namespace WeightShare.Web.Components.Pages.Run;

/// <summary>
/// The live run page: reads the run from the database, then follows its events on this circuit (and the database
/// when no event comes, for runs executed by another process).
/// </summary>
public partial class RunPage
{
    private readonly List<GenerationInfo> _generations = [];
    private readonly List<MergeStepCompleted> _mergeSteps = [];
    private readonly List<object> _early = [];
    private IReadOnlyList<SolutionInfo> _solutions = [];
    private RunInfo? _run;
    private ModelInfo? _model;
    private IDisposable? _subscription;
    private string? _progressMessage;
    private double? _liveProgress;
    private bool _loaded;
    private bool _notFound;
    private bool _cancelRequested;
    private string? _notes;
    private double? _liveRemaining;
    private DateTime _liveRemainingAt;
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(3);
    private readonly CancellationTokenSource _disposed = new();
    private DateTime _lastEvent;
    private Task? _poll;

    [Inject] private RunQueries Queries { get; set; } = default!;

    [Inject] private MetricRegistry Metrics { get; set; } = default!;

    [Inject] private RunCommands Commands { get; set; } = default!;

    [Inject] private RunNotifier Notifier { get; set; } = default!;

    [Inject] private ISnackbar Snackbar { get; set; } = default!;

    [Parameter] public string Id { get; set; } = "";

    private bool IsFinal => _run?.IsFinal ?? false;

    private double Progress => IsFinal ? (_run!.Status == RunStatus.Succeeded ? 1 : _run.Progress) : Math.Max(_liveProgress ?? 0, _run!.Progress);

    private string PhaseText => _run!.Status switch
    {
        RunStatus.Queued => "Waiting for a worker",
        RunStatus.Running => _run.Phase.ToString(),
        _ => StoppedPhaseText,
    };

    // Stop and keep ends the search: offered while a run has one to end.
    private bool CanStopSearch => _run is { Status: RunStatus.Running, Phase: PipelinePhase.Baseline or PipelinePhase.Search };

    private bool NotesChanged => (_notes?.Trim() ?? "") != (_run?.Notes ?? "");

    private string DeviceText => Format.Device(_run?.Settings.Device);

    private bool IsDataFree => _run?.DataFree == true;

    // Everything the page says of the run's metric is the metric's own (Engine/Metrics).
    private MetricDefinition RunMetric => Metrics.Named(_run?.Settings.Metric);

    private string MetricName => RunMetric.AxisName;

    private bool ShowsBaseline => RunMetric.HasBaseline;

    private string MetricUnit => RunMetric.UnitSymbol;

    private string ModeText => RunMetric.ModeText;

    // The chart's points are the run's metric; the baseline line must be the same figure. Against the uploaded model
    // itself (agreement, SNRs) the baseline is perfect by definition: no line, and no zoom towards it.
    private double? BaselineMetric => RunMetric.HasBaseline ? RunMetric.ValueOf(_run?.Baseline.ValidationAccuracy, _run?.Baseline.ValidationMacroF1) : null;

    /// <summary>
    /// The pipeline's own estimate (from measured evaluation, refinement and finishing costs) as its last tick gave it,
    /// counted down since; without a tick, the stored progress extrapolated over the time the run has taken.
    /// </summary>
    private TimeSpan? Eta
    {
        get
        {
            if (_run is not { Status: RunStatus.Running, StartedAt: { } started } run)
            {
                return null;
            }
            if (_liveRemaining is { } remaining)
            {
                return TimeSpan.FromSeconds(Math.Max(0, remaining - (DateTime.UtcNow - _liveRemainingAt).TotalSeconds));
            }
            var progress = Progress;
            return progress is > 0.01 and < 1 ? (DateTime.UtcNow - started) * ((1 - progress) / progress) : null;
        }
    }

    protected override async Task OnParametersSetAsync()
    {
        // Another run in the same component: nothing of the last one (its notes being typed, its live figures) carries over.
        if (_run is not null && _run.Id != Id)
        {
            (_run, _notes, _liveProgress, _liveRemaining, _progressMessage, _cancelRequested) = (null, null, null, null, null, false);
            _solutions = [];
        }
        _subscription?.Dispose();
        _loaded = false;
        _generations.Clear();
        _mergeSteps.Clear();
        _early.Clear();
        // Subscribe before reading, so nothing committed in between is missed; duplicates are dropped by number.
        // Only the interactive render listens: the prerendered page is finished HTML whose renderer cannot take updates
        // (an event arriving mid-prerender called Plotly's JS interop from the static renderer).
        _subscription = RendererInfo.IsInteractive ? Notifier.Subscribe(Id, OnRunEventAsync) : null;
        await ReloadAsync();
        if (_run is null)
        {
            _notFound = true;
            return;
        }
        _model = await Queries.ModelAsync(_run.ModelId);
        _generations.AddRange(await Queries.GenerationsAsync(Id) ?? []);
        _loaded = true;
        _lastEvent = DateTime.UtcNow;
        if (RendererInfo.IsInteractive)
        {
            _poll ??= PollAsync();
        }
        foreach (var notification in _early)
        {
            Apply(notification);
        }
        _early.Clear();
    }

    /// <summary>Reads the run and its solutions again; notes being edited stay unless <paramref name="notesSaved"/>.</summary>
    private async Task ReloadAsync(bool notesSaved = false)
    {
        var storedNotes = _run?.Notes;
        _run = await Queries.RunAsync(Id);
        // Compared after the read, so what was typed while it ran stays too.
        var notesEdited = !notesSaved && (_notes?.Trim() ?? "") != (storedNotes ?? "");
        _notes = notesEdited ? _notes : _run?.Notes;
        _solutions = await Queries.SolutionsAsync(Id) ?? [];
    }

    /// <summary>
    /// Events reach this page only from jobs in this process; a run executed by another worker process (Hangfire on
    /// PostgreSQL) is followed by reading the database whenever no event has come for a few seconds.
    /// </summary>
    private async Task PollAsync()
    {
        using var timer = new PeriodicTimer(PollInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(_disposed.Token))
            {
                await InvokeAsync(async () =>
                {
                    if (!_loaded || IsFinal || DateTime.UtcNow - _lastEvent < PollInterval)
                    {
                        return;
                    }
                    await ReloadAsync();
                    var stored = await Queries.GenerationsAsync(Id) ?? [];
                    _generations.AddRange(stored.Where(g => _generations.Count == 0 || g.Generation > _generations[^1].Generation));
                    StateHasChanged();
                });
            }
        }
        catch (OperationCanceledException)
        {
            // The page was closed.
        }
    }

    private Task OnRunEventAsync(object notification) => InvokeAsync(async () =>
    {
        _lastEvent = DateTime.UtcNow;
        if (!_loaded)
        {
            _early.Add(notification);
            return;
        }
        // A new phase means the job stored what the last one found (the baseline before the search): read it.
        var phaseChanged = notification is RunProgress progress && progress.Phase != _run?.Phase;
        Apply(notification);
        if (notification is RunStatusChanged || phaseChanged)
        {
            _progressMessage = null;
            await ReloadAsync();
        }
        StateHasChanged();
    });

    private void Apply(object notification)
    {
        switch (notification)
        {
            case GenerationCompleted generation when _generations.Count == 0 || generation.Generation > _generations[^1].Generation:
                _generations.Add(GenerationInfo.Of(generation));
                // A throttled tick can be older than the generation just committed.
                _progressMessage = null;
                _run = _run! with { Generation = generation.Generation, Evaluations = generation.Evaluations, CacheHits = generation.CacheHits, Status = IsFinal ? _run.Status : RunStatus.Running };
                break;
            case MergeStepCompleted step:
                _mergeSteps.Add(step);
                _progressMessage = $"Refining {(step.Parameters is { Count: > 0 } ? ParetoPlot.Label(step.Parameters) : "a front point")}: {step.SharedValues} shared values at {Format.Percent(step.ValidationAccuracy)}";
                break;
            case RunProgress progress:
                _progressMessage = progress.Message;
                _liveProgress = progress.Fraction;
                (_liveRemaining, _liveRemainingAt) = (progress.RemainingSeconds, DateTime.UtcNow);
                _run = _run! with { Phase = progress.Phase };
                break;
        }
    }

    private async Task CancelAsync()
    {
        _cancelRequested = true;
        await Commands.CancelAsync(Id);
        Snackbar.Add("Cancel requested: the run stops within one evaluation.", Severity.Info);
        await ReloadAsync();
    }

    private async Task StopSearchAsync()
    {
        await Commands.StopSearchAsync(Id);
        Snackbar.Add("Stopping the search: the run keeps its last generation's front and goes on to refine and finish it.", Severity.Info);
        await ReloadAsync();
    }

    private async Task SaveNotesAsync()
    {
        try
        {
            await Commands.SetNotesAsync(Id, _notes);
            Snackbar.Add("Notes saved.", Severity.Success);
            await ReloadAsync(notesSaved: true);
        }
        catch (WeightShare.Engine.InvalidInputException e)
        {
            Snackbar.Add(e.Message, Severity.Warning);
        }
    }

    public void Dispose()
    {
        _subscription?.Dispose();
        _disposed.Cancel();
        _disposed.Dispose();
        GC.SuppressFinalize(this);
    }
}
