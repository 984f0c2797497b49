using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using WeightShare.Jobs.Runs;

namespace WeightShare.Jobs.Tests;

public sealed class RunRecoveryTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    [Fact]
    public async Task RunAsync_StoppedAfterGeneration3ThenRecoveredAfterRestart_SameFrontAsStraightRun()
    {
        // Arrange: the same settings and seed run straight through in a directory of their own.
        using var straightDirectory = new TempDirectory();
        List<Data.Generation> straightGenerations;
        List<Data.Solution> straightSolutions;
        await using (var straight = new JobsHost(straightDirectory.Path))
        {
            await straight.MigrateAsync();
            var straightId = await straight.CreateRunAsync();
            await straight.RunJobAsync(straightId);
            Assert.Equal(RunStatus.Succeeded, (await straight.RunAsync(straightId)).Status);
            straightGenerations = await straight.GenerationsAsync(straightId);
            straightSolutions = await straight.SolutionsAsync(straightId);
        }

        // The first process stops right after committing generation 3, as a shutdown or crash would stop it.
        string runId;
        await using (var first = new JobsHost(_directory.Path))
        {
            await first.MigrateAsync();
            runId = await first.CreateRunAsync();
            using var shutdown = new CancellationTokenSource();
            first.Events.OnGeneration = g =>
            {
                if (g.Generation == 3)
                {
                    shutdown.Cancel();
                }
                return Task.CompletedTask;
            };
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first.RunJobAsync(runId, shutdown.Token));
            var stopped = await first.RunAsync(runId);
            Assert.Equal(RunStatus.Running, stopped.Status);
            Assert.Equal(3, stopped.Generation);
            Assert.Equal([1, 2, 3], (await first.GenerationsAsync(runId)).Select(g => g.Number));
        }

        // Act: a new process over the same data directory starts up (migrate + recover) and runs the job it enqueued.
        await using var second = new JobsHost(_directory.Path);
        foreach (var service in second.Services.GetServices<IHostedService>())
        {
            await service.StartAsync(CancellationToken.None);
        }
        second.StartServer();
        var run = await second.WaitForFinalAsync(runId, TimeSpan.FromMinutes(5));

        // Assert: one row per generation, 1..N, and the very same search as the straight run.
        Assert.Equal(RunStatus.Succeeded, run.Status);
        var generations = await second.GenerationsAsync(runId);
        Assert.Equal([1, 2, 3, 4], generations.Select(g => g.Number));
        Assert.Equal(straightGenerations.Select(g => g.FrontJson), generations.Select(g => g.FrontJson));
        Assert.Equal(straightGenerations.Select(g => g.PopulationJson), generations.Select(g => g.PopulationJson));
        Assert.Equal(straightGenerations[^1].Evaluations, run.Evaluations);
        Assert.Equal([4], second.Events.Generations.Select(g => g.Generation));
        var solutions = await second.SolutionsAsync(runId);
        Assert.Equal(straightSolutions.Select(s => (s.ParametersJson, s.SharedValues, s.Merged, s.TestAccuracy)), solutions.Select(s => (s.ParametersJson, s.SharedValues, s.Merged, s.TestAccuracy)));
    }

    [Fact]
    public async Task RecoverAsync_AfterRestart_EnqueuesOnlyUnfinishedRunsAndOnlyOnce()
    {
        string queued;
        string canceled;
        await using (var first = new JobsHost(_directory.Path))
        {
            await first.MigrateAsync();
            queued = await first.CreateRunAsync();
            canceled = await first.CreateRunAsync();
            await first.Get<RunCommands>().CancelAsync(canceled);
            // Still alive in this process's Hangfire storage: nothing to recover.
            Assert.Empty(await first.Get<RunRecovery>().RecoverAsync());
        }
        await using var second = new JobsHost(_directory.Path);

        var recovered = await second.Get<RunRecovery>().RecoverAsync();
        var again = await second.Get<RunRecovery>().RecoverAsync();

        Assert.Equal([queued], recovered);
        Assert.Empty(again);
        Assert.NotNull((await second.RunAsync(queued)).JobId);
    }

    public void Dispose() => _directory.Dispose();
}
