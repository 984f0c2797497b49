using WeightShare.Engine.Compression;
using WeightShare.Engine.Search;

namespace WeightShare.Engine.Pipeline;

/// <summary>
/// Where a run's results are kept: the port the host implements (a database for the product, memory for tools and
/// tests). Every save commits before it returns, and commits whatever cancellation says, so a run stopped at any point
/// resumes from <see cref="LoadAsync"/> exactly where it stood: at most the step in flight is done again.
/// </summary>
public interface IRunStore
{
    /// <summary>What earlier attempts of this run committed.</summary>
    Task<RunState> LoadAsync(CancellationToken cancellationToken);

    /// <summary>The uploaded model's figures; the run moves on to <see cref="PipelinePhase.Search"/>.</summary>
    Task SaveBaselineAsync(BaselineFigures baseline, StepProgress progress);

    /// <summary>A generation with the state the search resumes from; both are committed together or not at all.</summary>
    Task SaveGenerationAsync(SearchGeneration generation, Nsga2State state, StepProgress progress);

    /// <summary>A solution the refine phase chose (and refined); unique per run by its parameters.</summary>
    Task SavePlanAsync(PlannedSolution solution, StepProgress progress);

    /// <summary>A solution's figures and files; the store takes the files over (moves or copies them).</summary>
    Task SaveFinishedAsync(FinishedSolution solution, StepProgress progress);

    /// <summary>The run has finished the phase before <paramref name="phase"/>, which it does next.</summary>
    Task AdvanceAsync(PipelinePhase phase);

    /// <summary>
    /// The run's progress (0..1) between commits, inside a long step such as a calibration, so that readers of the
    /// store see it move; synchronous, as the step reports from its own loop. It never lowers the stored progress.
    /// </summary>
    void SaveProgress(double progress);

    /// <summary>A fresh path for a file the pipeline writes and then hands over, on the volume the store keeps files on.</summary>
    string NewScratchPath(string extension);
}
