using WeightShare.Engine.Evaluation;
using WeightShare.Engine.Search;

namespace WeightShare.Engine.Pipeline;

/// <summary>Where a run stands in its store: what earlier attempts committed, from which the pipeline resumes.</summary>
/// <param name="Phase">The phase to do next.</param>
/// <param name="BaselineValidation">The uploaded model's validation figures, once the baseline phase is done.</param>
/// <param name="LastGeneration">The search state saved with the last committed generation, or null before the first.</param>
/// <param name="Solutions">The solutions the refine phase has stored so far.</param>
public sealed record RunState(
    PipelinePhase Phase,
    EvaluationResult? BaselineValidation,
    Nsga2State? LastGeneration,
    IReadOnlyList<StoredSolution> Solutions)
{
    /// <summary>Wall time earlier attempts spent on the run, over all phases.</summary>
    public TimeSpan Spent { get; init; }

    /// <summary>Wall time the baseline took (both splits): the first price of an evaluation when a run resumes.</summary>
    public TimeSpan BaselineTime { get; init; }

    /// <summary>The racing search's evaluations saved with the last generation (<see cref="SearchGeneration.Racing"/>); empty without racing.</summary>
    public IReadOnlyList<SampledEvaluation> Racing { get; init; } = [];

    /// <summary>A run nothing has happened to yet.</summary>
    public static RunState New { get; } = new(PipelinePhase.Baseline, null, null, []);
}
