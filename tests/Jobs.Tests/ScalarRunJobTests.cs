using WeightShare.Engine.Compression;
using WeightShare.Engine.Pipeline;
using WeightShare.Jobs.Runs;

namespace WeightShare.Jobs.Tests;

/// <summary>The scalar codec through the product's job: its stored settings, and a run stopped mid-way that resumes to the same end.</summary>
public sealed class ScalarRunJobTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    private static RunSettings Scalar => new()
    {
        Codec = "scalar",
        ValidationSamples = 300,
        Search = new SearchSettings(Population: 8, Generations: 4, KMin: 6, KMax: 40, Seed: 1),
        Calibration = new CalibrationSettings(Samples: 400, Steps: 20, Budget: 2, TargetLoss: 0.01),
    };

    [Fact]
    public async Task CreateAsync_ScalarLeavingDefaultsOpen_StoresTheValuesTheRunUses()
    {
        await using var host = new JobsHost(_directory.Path);
        await host.MigrateAsync();

        var runId = await host.CreateRunAsync(Scalar with { Search = new SearchSettings(Generations: 4), Calibration = new CalibrationSettings() });

        var stored = RunSettings.FromJson((await host.RunAsync(runId)).SettingsJson);
        Assert.Equal((32, 5), (stored.Search.Population, stored.Search.Patience));
        Assert.Equal(SizeObjective.Bytes, stored.Objective);
        // The fixture data has 2,000 samples; validation takes 300, calibration half of the rest.
        Assert.Equal(850, stored.Calibration.Samples);
    }

    [Fact]
    public async Task RunAsync_StoppedDuringTheSearchThenResumed_SameGenerationsAndSolutionsAsAStraightRun()
    {
        // Arrange: the straight run in a directory of its own.
        var straight = await JobsHost.StraightRunAsync(Scalar);

        // The first attempt stops after generation 2, as a shutdown would stop it.
        await using var first = new JobsHost(_directory.Path);
        await first.MigrateAsync();
        var runId = await first.CreateRunAsync(Scalar);
        using var shutdown = new CancellationTokenSource();
        first.Events.OnGeneration = g =>
        {
            if (g.Generation == 2)
            {
                shutdown.Cancel();
            }
            return Task.CompletedTask;
        };
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first.RunJobAsync(runId, shutdown.Token));
        Assert.Equal(PipelinePhase.Search, (await first.RunAsync(runId)).Phase);
        first.Events.OnGeneration = null;

        // Act
        await first.RunJobAsync(runId);

        // Assert: the calibrated solutions and every file size are those of the straight run.
        Assert.Equal(RunStatus.Succeeded, (await first.RunAsync(runId)).Status);
        var resumed = await first.SolutionFiguresAsync(runId);
        Assert.Equal(straight, resumed);
        Assert.Contains(resumed, s => s.Refined);
    }

    public void Dispose() => _directory.Dispose();
}
