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
/// The live run page: renders the latest <see cref="RunSnapshot"/> of its <see cref="RunView"/>, the one feed that
/// reads the run, follows its events (from any process) and falls back to reading the database.
/// </summary>
public partial class RunPage
{
    // The parts of the snapshot shown, set together from one snapshot in Show.
    private IReadOnlyList<GenerationInfo> _generations = [];
    private IReadOnlyList<MergeStepCompleted> _mergeSteps = [];
    private IReadOnlyList<SolutionInfo> _solutions = [];
    private RunInfo? _run;
    private ModelInfo? _model;
    private string? _progressMessage;
    private bool _notFound;
    private RunSnapshot _snapshot = RunSnapshot.Empty;
    private RunView? _view;
    private bool _cancelRequested;
    private string? _notes;
    private bool _disposed;

    [Inject] private RunQueries Queries { get; set; } = default!;

    [Inject] private MetricRegistry Metrics { get; set; } = default!;

    [Inject] private RunCommands Commands { get; set; } = default!;

    [Inject] private RunNotifier Notifier { get; set; } = default!;

    [Inject] private ISnackbar Snackbar { get; set; } = default!;

    [Inject] private ILogger<RunView> ViewLogger { get; set; } = default!;

    [Parameter] public string Id { get; set; } = "";

    private bool IsFinal => _run?.IsFinal ?? false;

    private double Progress => IsFinal ? (_run!.Status == RunStatus.Succeeded ? 1 : _run.Progress) : Math.Max(_snapshot.LiveProgress ?? 0, _run!.Progress);

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
            if (_snapshot.RemainingSeconds is { } remaining)
            {
                return TimeSpan.FromSeconds(Math.Max(0, remaining - (DateTime.UtcNow - _snapshot.RemainingAt).TotalSeconds));
            }
            var progress = Progress;
            return progress is > 0.01 and < 1 ? (DateTime.UtcNow - started) * ((1 - progress) / progress) : null;
        }
    }

    /// <summary>
    /// The estimate as read: until the search has seen its hypervolume grow or stay flat (generation 2) the pipeline
    /// prices every generation of the budget, which the early stop may cut short, so the figure is a bound.
    /// </summary>
    private string EtaText => Eta is { } eta && _run is { Settings.Search.Patience: > 0, Generation: < 2, Phase: PipelinePhase.Baseline or PipelinePhase.Search }
        ? "at most " + Format.Duration(eta)
        : Format.Duration(Eta);

    protected override async Task OnParametersSetAsync()
    {
        if (_view?.RunId == Id)
        {
            return;
        }
        // Another run in the same component: nothing of the last one (its notes being typed, its live figures) carries over.
        if (_view is not null)
        {
            await _view.DisposeAsync();
            (_notes, _cancelRequested) = (null, false);
        }
        // Only the interactive render follows the run: the prerendered page is finished HTML whose renderer cannot take
        // updates (an event arriving mid-prerender called Plotly's JS interop from the static renderer).
        _view = new RunView(Id, Queries, Notifier, ViewLogger, snapshot => InvokeAsync(() =>
        {
            if (!_disposed)
            {
                Show(snapshot);
                StateHasChanged();
            }
        }));
        await _view.StartAsync(live: RendererInfo.IsInteractive);
        Show(_view.Current, notesSaved: true);
    }

    /// <summary>Takes a snapshot in whole; notes being edited stay unless <paramref name="notesSaved"/>.</summary>
    private void Show(RunSnapshot snapshot, bool notesSaved = false)
    {
        // Compared with what was stored when the typing started, so what was typed while the run changed stays.
        var notesEdited = !notesSaved && (_notes?.Trim() ?? "") != (_run?.Notes ?? "");
        _snapshot = snapshot;
        (_run, _model, _generations, _solutions, _mergeSteps) = (snapshot.Run, snapshot.Model, snapshot.Generations, snapshot.Solutions, snapshot.MergeSteps);
        (_progressMessage, _notFound) = (snapshot.ProgressMessage, snapshot.NotFound);
        _notes = notesEdited ? _notes : _run?.Notes;
    }

    private async Task ReloadAsync(bool notesSaved = false)
    {
        if (_view is not null)
        {
            await _view.RefreshAsync();
            Show(_view.Current, notesSaved);
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

    public async ValueTask DisposeAsync()
    {
        _disposed = true;
        if (_view is not null)
        {
            await _view.DisposeAsync();
        }
        GC.SuppressFinalize(this);
    }
}
