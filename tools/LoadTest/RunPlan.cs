namespace WeightShare.LoadTest;

/// <summary>
/// One of the two compression runs the load starts: small settings on the fixture CNN (300 validation samples,
/// population 8, as the end-to-end tests use), seeded, so that the same plan run alone on an idle server gives the
/// same front.
/// </summary>
public sealed record RunPlan(string Name, string Codec, int Generations)
{
    /// <summary>The paper's codec (every generation runs, merges refine the front) and the scalar codec without calibration.</summary>
    public static IReadOnlyList<RunPlan> Both(int generations) => [new("paper", "paper", generations), new("scalar", "scalar", generations)];

    /// <summary>The body of POST /api/runs.</summary>
    public object Body(string modelId, string datasetId) => Codec == "paper"
        ? new
        {
            modelId,
            datasetId,
            codec = Codec,
            validationSamples = 300,
            search = new { population = 8, generations = Generations, kMin = 2, kMax = 64, seed = 1 },
            notes = "load test: " + Name,
        }
        : new
        {
            modelId,
            datasetId,
            codec = Codec,
            validationSamples = 300,
            search = new { population = 8, generations = Generations, kMin = 2, kMax = 64, seed = 1, patience = 0 },
            calibration = new { budget = 0 },
            notes = "load test: " + Name,
        };
}
