using WeightShare.Engine.Compression;
using WeightShare.Engine.Pipeline;
using WeightShare.Jobs.Runs;

namespace WeightShare.Jobs.Tests;

/// <summary>A racing run through the product's job: its sample figures in the database, and a resume that races as a straight run does.</summary>
public sealed class RacingRunJobTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    // k from 2: the smallest files lose far more than calibration can recover, so racing stops them after one chunk.
    private static RunSettings Racing => new()
    {
        Codec = "scalar",
        ValidationSamples = 600,
        Search = new SearchSettings(Population: 8, Generations: 3, KMin: 2, KMax: 40, Seed: 1, Patience: 0) { Racing = true },
        Calibration = new CalibrationSettings(Samples: 200, Steps: 5, BatchSize: 32, Budget: 1),
    };

    [Fact]
    public async Task RunAsync_StoppedAfterGeneration2ThenResumed_SameSampleFiguresAsAStraightRun()
    {
        // Arrange: the straight run, and a first attempt stopped after generation 2 as a shutdown would stop it.
        await using var host = new JobsHost(_directory.Path);
        await host.MigrateAsync();
        var straightId = await host.CreateRunAsync(Racing);
        await host.RunJobAsync(straightId);
        var runId = await host.CreateRunAsync(Racing);
        using var shutdown = new CancellationTokenSource();
        host.Events.OnGeneration = g =>
        {
            if (g.RunId == runId && g.Generation == 2)
            {
                shutdown.Cancel();
            }
            return Task.CompletedTask;
        };
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => host.RunJobAsync(runId, shutdown.Token));
        Assert.Equal(PipelinePhase.Search, (await host.RunAsync(runId)).Phase);
        host.Events.OnGeneration = null;

        // Act
        await host.RunJobAsync(runId);

        // Assert: the run and every generation say how many evaluations raced and how many samples they measured.
        var (straight, resumed) = (await host.RunAsync(straightId), await host.RunAsync(runId));
        Assert.Equal(RunStatus.Succeeded, resumed.Status);
        Assert.InRange(straight.RacedEvaluations!.Value, 1, straight.Evaluations - 1);
        Assert.InRange(straight.ValidationSamplesEvaluated!.Value, (long)straight.Evaluations * 256, ((long)straight.Evaluations * 600) - 1);
        Assert.Equal((straight.RacedEvaluations, straight.ValidationSamplesEvaluated), (resumed.RacedEvaluations, resumed.ValidationSamplesEvaluated));
        var generations = await host.GenerationsAsync(runId);
        Assert.Equal(
            (await host.GenerationsAsync(straightId)).Select(g => (g.Number, g.RacedEvaluations, g.ValidationSamplesEvaluated, g.FrontJson, g.PopulationJson)),
            generations.Select(g => (g.Number, g.RacedEvaluations, g.ValidationSamplesEvaluated, g.FrontJson, g.PopulationJson)));
        Assert.All(generations, g => Assert.NotNull(g.RacingJson));
        Assert.All(generations.SelectMany(g => Data.Generation.ReadPoints(g.FrontJson)), p => Assert.Equal(600, p.ValidationSamplesUsed));
        Assert.Contains(generations.SelectMany(g => Data.Generation.ReadPoints(g.PopulationJson)), p => p.ValidationSamplesUsed < 600);
        Assert.Equal(await host.SolutionFiguresAsync(straightId), await host.SolutionFiguresAsync(runId));
    }

    public void Dispose() => _directory.Dispose();
}
