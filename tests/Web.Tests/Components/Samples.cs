using WeightShare.Jobs.Events;
using WeightShare.Web.Api;

namespace WeightShare.Web.Tests.Components;

/// <summary>Small hand-made run states for the pure and component tests.</summary>
internal static class Samples
{
    public static FrontPoint Point(int k, int shared, double accuracy) => new(shared, accuracy) { Parameters = new Dictionary<string, int> { ["k"] = k } };

    public static MergeStepCompleted Step(int k, int shared, double accuracy) => new("run-1", shared, accuracy) { Parameters = new Dictionary<string, int> { ["k"] = k } };

    /// <summary>A drawn point's gene k.</summary>
    public static int K(FrontPoint point) => point.Parameters!["k"];

    public static GenerationInfo Generation(int number, FrontPoint[] population, FrontPoint[] front) =>
        new("run-1", number, 0.1 * number, 8 * number, 0, population, front);

    public static SolutionInfo Solution(string id, int k, int shared, bool ready, bool merged = false) => new(
        id, "paper", new Dictionary<string, int> { ["k"] = k }, $"k = {k}, {shared} shared values", shared, 0.9, 0.9, ready ? 0.89 : null, ready ? 3.25 : null, ready ? 65_000 : null,
        ready ? 849_177 / 65_000.0 : null, ready ? 32 / 3.25 : null, merged, ready);
}
