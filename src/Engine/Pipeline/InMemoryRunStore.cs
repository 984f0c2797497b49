using WeightShare.Engine.Compression;
using WeightShare.Engine.Search;

namespace WeightShare.Engine.Pipeline;

/// <summary>
/// A run kept in memory, with its files moved into one folder: for tools and tests that drive the pipeline without a
/// database. What it holds after a run is everything the run produced.
/// </summary>
public sealed class InMemoryRunStore : IRunStore
{
    private readonly List<SearchGeneration> _generations = [];
    private readonly List<PlannedSolution> _plans = [];
    private readonly List<FinishedSolution> _finished = [];
    private readonly Dictionary<PipelinePhase, TimeSpan> _times = [];

    /// <summary>A store that moves finished solutions' files into <paramref name="outputDirectory"/> (created if missing).</summary>
    public InMemoryRunStore(string outputDirectory)
    {
        OutputDirectory = Directory.CreateDirectory(outputDirectory).FullName;
    }

    /// <summary>Where the finished solutions' files are.</summary>
    public string OutputDirectory { get; }

    /// <summary>The phase to do next.</summary>
    public PipelinePhase Phase { get; private set; } = PipelinePhase.Baseline;

    /// <summary>The uploaded model's figures, once measured.</summary>
    public BaselineFigures? Baseline { get; private set; }

    /// <summary>The search state saved with the last generation.</summary>
    public Nsga2State? LastState { get; private set; }

    /// <summary>Every stored generation, in order.</summary>
    public IReadOnlyList<SearchGeneration> Generations => _generations;

    /// <summary>The solutions the refine phase chose, in the order they were stored.</summary>
    public IReadOnlyList<PlannedSolution> Plans => _plans;

    /// <summary>The finished solutions, in the order they were finished; their file paths point into <see cref="OutputDirectory"/>.</summary>
    public IReadOnlyList<FinishedSolution> Finished => _finished;

    /// <summary>The progress of the last stored step, 0..1.</summary>
    public double Progress { get; private set; }

    /// <summary>Wall time spent in <paramref name="phase"/>, over every stored step.</summary>
    public TimeSpan TimeIn(PipelinePhase phase) => _times.GetValueOrDefault(phase);

    /// <inheritdoc />
    public Task<RunState> LoadAsync(CancellationToken cancellationToken) => Task.FromResult(new RunState(
        Phase,
        Baseline?.Validation,
        LastState,
        _plans.Select(p => new StoredSolution(p, _finished.Any(f => f.Solution.Plan.SameAs(p.Plan)))).ToList())
    {
        Spent = _times.Values.Aggregate(TimeSpan.Zero, (sum, t) => sum + t),
        BaselineTime = TimeIn(PipelinePhase.Baseline),
        Racing = _generations.Count > 0 ? _generations[^1].Racing : [],
    });

    /// <inheritdoc />
    public Task SaveBaselineAsync(BaselineFigures baseline, StepProgress progress)
    {
        Baseline = baseline;
        Record(PipelinePhase.Baseline, progress);
        Phase = PipelinePhase.Search;
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task SaveGenerationAsync(SearchGeneration generation, Nsga2State state, StepProgress progress)
    {
        _generations.Add(generation);
        LastState = state;
        Record(PipelinePhase.Search, progress);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public void SaveProgress(double progress) => Progress = Math.Max(Progress, progress);

    /// <inheritdoc />
    public Task SavePlanAsync(PlannedSolution solution, StepProgress progress)
    {
        _plans.Add(solution);
        Record(PipelinePhase.Refine, progress);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task SaveFinishedAsync(FinishedSolution solution, StepProgress progress)
    {
        ArgumentNullException.ThrowIfNull(solution);
        var compressed = Path.Combine(OutputDirectory, solution.Files.CompressedName);
        var checkpoint = Path.Combine(OutputDirectory, solution.Files.CheckpointName);
        File.Move(solution.Files.CompressedPath, compressed, overwrite: true);
        File.Move(solution.Files.CheckpointPath, checkpoint, overwrite: true);
        _finished.Add(solution with { Files = solution.Files with { CompressedPath = compressed, CheckpointPath = checkpoint } });
        Record(PipelinePhase.Finish, progress);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task AdvanceAsync(PipelinePhase phase)
    {
        Phase = phase;
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public string NewScratchPath(string extension) => Path.Combine(OutputDirectory, "." + Guid.NewGuid().ToString("N") + extension);

    private void Record(PipelinePhase phase, StepProgress progress)
    {
        _times[phase] = _times.GetValueOrDefault(phase) + progress.Elapsed;
        Progress = progress.Progress;
    }
}
