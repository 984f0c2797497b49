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
        List<(string, int, bool, double?, long?)> straight;
        using (var straightDirectory = new TempDirectory())
        {
            await using var host = new JobsHost(straightDirectory.Path);
            await host.MigrateAsync();
            var id = await host.CreateRunAsync(Additive);
            await host.RunJobAsync(id);
            Assert.Equal(RunStatus.Succeeded, (await host.RunAsync(id)).Status);
            straight = (await host.SolutionsAsync(id)).Select(s => (s.ParametersJson, s.SharedValues, s.Merged, s.TestAccuracy, s.CompressedBytes)).ToList();
        }

        // The first attempt stops in the middle of the fine-tuning, as a shutdown would stop it.
        await using var first = new JobsHost(_directory.Path);
        await first.MigrateAsync();
        var runId = await first.CreateRunAsync(Additive);
        using var shutdown = new CancellationTokenSource();
        first.Events.OnProgress = p =>
        {
            // Progress lines are throttled: any step of the fine-tuning before its last will do.
            if (p.Message.Contains("fine-tuning step ", StringComparison.Ordinal) && !p.Message.EndsWith("30 of 30", StringComparison.Ordinal))
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
        var resumed = (await first.SolutionsAsync(runId)).Select(s => (s.ParametersJson, s.SharedValues, s.Merged, s.TestAccuracy, s.CompressedBytes)).ToList();
        Assert.Equal(straight.OrderBy(s => s.Item1, StringComparer.Ordinal), resumed.OrderBy(s => s.Item1, StringComparer.Ordinal));
        Assert.Contains(resumed, s => s.Item3);
    }

    public void Dispose() => _directory.Dispose();
}
