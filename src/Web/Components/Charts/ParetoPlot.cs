using WeightShare.Jobs.Events;
using WeightShare.Web.Api;

namespace WeightShare.Web.Components.Charts;

/// <summary>
/// What the Pareto chart draws, worked out from the run's state: every evaluated point (once per k), the latest
/// front in order of shared values, the baseline, and the final or merged solutions.
/// </summary>
public sealed record ParetoPlot(
    IReadOnlyList<FrontPoint> Evaluated,
    IReadOnlyList<FrontPoint> Front,
    IReadOnlyList<FrontPoint> Solutions,
    double? Baseline,
    int Generation)
{
    public static ParetoPlot Of(
        IReadOnlyList<GenerationInfo> generations,
        IReadOnlyList<SolutionInfo> solutions,
        IReadOnlyList<MergeStepCompleted> mergeSteps,
        double? baseline)
    {
        var evaluated = generations
            .SelectMany(g => g.Population.Concat(g.Front))
            .GroupBy(p => p.K)
            .Select(g => g.First())
            .OrderBy(p => p.SharedValues)
            .ToArray();
        var front = generations.Count == 0
            ? []
            : generations[^1].Front.DistinctBy(p => p.K).OrderBy(p => p.SharedValues).ToArray();
        // Stored solutions win; until they are stored, each front member's latest accepted merge shows progress.
        var finals = solutions.Count > 0
            ? solutions.Select(s => new FrontPoint(s.K, s.SharedValues, s.ValidationAccuracy)).ToArray()
            : mergeSteps.GroupBy(m => m.SolutionK).Select(g => g.Last()).Select(m => new FrontPoint(m.SolutionK, m.SharedValues, m.ValidationAccuracy)).ToArray();
        return new ParetoPlot(evaluated, front, finals.OrderBy(p => p.SharedValues).ToArray(), baseline, generations.Count == 0 ? 0 : generations[^1].Generation);
    }

    /// <summary>A key that changes whenever the drawing would.</summary>
    public string Signature => $"{Generation}/{Evaluated.Count}/{Front.Count}/{string.Join(",", Solutions.Select(s => $"{s.K}:{s.SharedValues}"))}/{Baseline}";
}
