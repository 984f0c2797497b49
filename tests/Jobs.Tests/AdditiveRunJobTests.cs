using WeightShare.Engine.Compression;
using WeightShare.Engine.Pipeline;
using WeightShare.Jobs.Runs;

namespace WeightShare.Jobs.Tests;

/// <summary>The additive codec through the product's job: a run stopped in the middle of a fine-tuning resumes to the end a straight run reaches.</summary>
public sealed class AdditiveRunJobTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    private static RunSettings Additive => new()
    {
        Codec = "additive",
        // Residual quantization alone fits fastest: the test is about stopping and resuming, not about the fit.
        CodecOptions = new() { ["beam"] = "1", ["rounds"] = "0" },
        ValidationSamples = 300,
        Search = new SearchSettings(Population: 6, Generations: 2, Seed: 2),
        Calibration = new CalibrationSettings(Samples: 400, Steps: 30, Budget: 1, TargetLoss: 0.01),
    };

    [Fact]
    public async Task RunAsync_StoppedDuringAFineTuningThenResumed_SameSolutionsAsAStraightRun()
    {
        // Arrange: the straight run in a directory of its own.
        var straight = await JobsHost.StraightRunAsync(Additive);

        // The first attempt stops in the middle of the fine-tuning, as a shutdown would stop it.
        // Every progress line reaches the test (they are throttled to one a second by default).
        await using var first = new JobsHost(_directory.Path, settings: new Dictionary<string, string?> { ["WeightShare:ProgressInterval"] = "00:00:00" });
        await first.MigrateAsync();
        var runId = await first.CreateRunAsync(Additive);
        using var shutdown = new CancellationTokenSource();
        first.Events.OnProgress = p =>
        {
            if (p.Message.Contains("fine-tuning step 10 of 30", StringComparison.Ordinal))
            {
                shutdown.Cancel();
            }
        };
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first.RunJobAsync(runId, shutdown.Token));
        Assert.Equal(PipelinePhase.Refine, (await first.RunAsync(runId)).Phase);
        first.Events.OnProgress = null;

        // Act
        await first.RunJobAsync(runId);

        // Assert: the fine-tuned solution and every file size are those of the straight run.
        Assert.Equal(RunStatus.Succeeded, (await first.RunAsync(runId)).Status);
        var resumed = await first.SolutionFiguresAsync(runId);
        Assert.Equal(straight, resumed);
        Assert.Contains(resumed, s => s.Refined);
    }

    public void Dispose() => _directory.Dispose();
}
