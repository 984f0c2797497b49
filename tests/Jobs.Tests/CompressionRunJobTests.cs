using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using WeightShare.Engine.Compression;
using WeightShare.Engine.Pipeline;
using WeightShare.Jobs.Runs;
using Xunit.Abstractions;

namespace WeightShare.Jobs.Tests;

public sealed class CompressionRunJobTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempDirectory _directory = new();

    [Fact]
    public async Task RunAsync_TinyRunThroughHangfire_SucceedsWithSolutionsAndFilesStored()
    {
        await using var host = new JobsHost(_directory.Path);
        await host.MigrateAsync();
        var runId = await host.CreateRunAsync();
        var clock = Stopwatch.StartNew();

        host.StartServer();
        var run = await host.WaitForFinalAsync(runId, TimeSpan.FromMinutes(5));

        output.WriteLine($"through Hangfire in {clock.Elapsed.TotalSeconds:F1} s; phases: baseline {run.BaselineSeconds:F2}, search {run.SearchSeconds:F2}, refine {run.RefineSeconds:F2}, finish {run.FinishSeconds:F2}; evaluations {run.Evaluations}, cache hits {run.CacheHits}");
        Assert.Equal(RunStatus.Succeeded, run.Status);
        Assert.Null(run.Error);
        Assert.Equal(PipelinePhase.Done, run.Phase);
        Assert.Equal(1.0, run.Progress);
        Assert.NotNull(run.StartedAt);
        Assert.NotNull(run.FinishedAt);
        Assert.NotNull(run.BaselineTestAccuracy);
        Assert.All(new[] { run.BaselineSeconds, run.SearchSeconds, run.RefineSeconds, run.FinishSeconds }, s => Assert.True(s > 0));
        Assert.Equal([RunStatus.Running, RunStatus.Succeeded], host.Events.Statuses.Select(s => s.Status));
        Assert.Equal([1, 2, 3, 4], host.Events.Generations.Select(g => g.Generation));
        Assert.Equal([1, 2, 3, 4], (await host.GenerationsAsync(runId)).Select(g => g.Number));

        var solutions = await host.SolutionsAsync(runId);
        Assert.NotEmpty(solutions);
        var store = host.Get<Storage.FileStore>();
        foreach (var solution in solutions)
        {
            output.WriteLine($"{solution.ParametersJson} values {solution.SharedValues} merged {solution.Merged} val {solution.ValidationAccuracy:P1} test {solution.TestAccuracy:P1} bits {solution.BitsPerWeight:F2} wsz {solution.CompressedBytes} file x{solution.FileCompressionRatio:F1}");
            Assert.True(solution.IsFinished);
            Assert.Equal(solution.CompressedBytes, new FileInfo(store.PathOf(solution.CompressedFile!)).Length);
            Assert.Equal(solution.CompressedFile!.SizeBytes, solution.CompressedBytes);
            Assert.True(File.Exists(store.PathOf(solution.CheckpointFile!)));
            Assert.EndsWith(".pt", solution.CheckpointFile!.FileName, StringComparison.Ordinal);
        }
        Assert.Empty(Directory.EnumerateFiles(store.TemporaryDirectory));
    }

    [Fact]
    public async Task RunAsync_SucceededRunAgain_ChangesNothing()
    {
        await using var host = new JobsHost(_directory.Path);
        await host.MigrateAsync();
        var runId = await host.CreateRunAsync();
        await host.RunJobAsync(runId);
        var before = await SnapshotAsync(host, runId);
        var events = host.Events.All.Count;

        await host.RunJobAsync(runId);

        var after = await SnapshotAsync(host, runId);
        Assert.Equal(RunStatus.Succeeded, (await host.RunAsync(runId)).Status);
        Assert.Equal(before, after);
        Assert.Equal(events, host.Events.All.Count);
    }

    [Fact]
    public async Task CancelAsync_RunningRun_ReachesCanceledBeforeTheSearchEnds()
    {
        // 30 generations over k 2..1024 keep evaluating new k values; over 2..64 the last generations were all cache
        // hits, faster than the cancel poll, and a CI run reached generation 4 of 4 before the cancel landed.
        const int generations = 30;
        await using var host = new JobsHost(_directory.Path);
        await host.MigrateAsync();
        var runId = await host.CreateRunAsync(JobsHost.TinySettings with
        {
            Search = new SearchSettings(Population: 8, Generations: generations, KMin: 2, KMax: 1024, Seed: 1),
        });
        var commands = host.Get<RunCommands>();
        host.Events.OnGeneration = async g =>
        {
            if (g.Generation == 1)
            {
                await commands.CancelAsync(g.RunId);
            }
        };

        await host.RunJobAsync(runId);

        var run = await host.RunAsync(runId);
        Assert.Equal(RunStatus.Canceled, run.Status);
        Assert.True(run.CancelRequested);
        Assert.NotNull(run.FinishedAt);
        Assert.InRange(run.Generation, 1, generations - 1);
        Assert.Equal(RunStatus.Canceled, host.Events.Statuses.Last().Status);
        Assert.Empty(await host.SolutionsAsync(runId));
        // Hangfire's dashboard does not list the canceled run's job as a success.
        using var connection = host.Get<Hangfire.JobStorage>().GetConnection();
        Assert.Equal("Deleted", connection.GetStateData(run.JobId!).Name);
    }

    [Fact]
    public async Task StopSearchAsync_RunningRun_SucceedsWithTheFrontItHad()
    {
        const int generations = 30;
        await using var host = new JobsHost(_directory.Path);
        await host.MigrateAsync();
        var runId = await host.CreateRunAsync(JobsHost.TinySettings with
        {
            Search = new SearchSettings(Population: 8, Generations: generations, KMin: 2, KMax: 1024, Seed: 1),
        });
        var commands = host.Get<RunCommands>();
        host.Events.OnGeneration = async g =>
        {
            if (g.Generation == 2)
            {
                await commands.StopSearchAsync(g.RunId);
            }
        };

        await host.RunJobAsync(runId);

        // The job sees the flag within one poll: the search ends a generation or so later, and the run finishes what it has.
        var run = await host.RunAsync(runId);
        Assert.Equal(RunStatus.Succeeded, run.Status);
        Assert.True(run.StopSearchRequested);
        Assert.Equal(PipelinePhase.Done, run.Phase);
        Assert.InRange(run.Generation, 2, generations - 1);
        var solutions = await host.SolutionsAsync(runId);
        Assert.NotEmpty(solutions);
        Assert.All(solutions, s => Assert.True(s.IsFinished));
        Assert.Contains(host.Events.Progress, p => p.Message.StartsWith("Search stopped by request", StringComparison.Ordinal));
    }

    [Fact]
    public async Task StopSearchAsync_QueuedRun_CanceledAsNothingWasFound()
    {
        await using var host = new JobsHost(_directory.Path);
        await host.MigrateAsync();
        var runId = await host.CreateRunAsync();

        Assert.True(await host.Get<RunCommands>().StopSearchAsync(runId));
        Assert.False(await host.Get<RunCommands>().StopSearchAsync("no-such-run"));

        Assert.Equal(RunStatus.Canceled, (await host.RunAsync(runId)).Status);
    }

    [Fact]
    public async Task SetNotesAsync_NotesTrimmedStoredAndCleared_TooLongRefused()
    {
        await using var host = new JobsHost(_directory.Path);
        await host.MigrateAsync();
        var runId = await host.CreateRunAsync();
        var commands = host.Get<RunCommands>();

        Assert.True(await commands.SetNotesAsync(runId, "  scalar, 300 steps  "));
        Assert.Equal("scalar, 300 steps", (await host.RunAsync(runId)).Notes);
        var tooLong = await Assert.ThrowsAsync<Engine.InvalidInputException>(() => commands.SetNotesAsync(runId, new string('x', RunLimits.NotesLength + 1)));
        Assert.Contains("at most 2000 characters", tooLong.Message, StringComparison.Ordinal);
        Assert.Equal("scalar, 300 steps", (await host.RunAsync(runId)).Notes);
        Assert.True(await commands.SetNotesAsync(runId, " "));
        Assert.Null((await host.RunAsync(runId)).Notes);
        Assert.False(await commands.SetNotesAsync("no-such-run", "x"));
    }

    [Fact]
    public async Task CreateAsync_NoDevice_StoresTheServersDevice_CudaWithoutCudaRefused()
    {
        await using var host = new JobsHost(_directory.Path);
        await host.MigrateAsync();

        var runId = await host.CreateRunAsync();
        var cuda = await Assert.ThrowsAsync<Engine.InvalidInputException>(() => host.CreateRunAsync(JobsHost.TinySettings with { Device = Engine.Evaluation.ComputeDevice.Cuda }));

        Assert.Equal(Engine.Evaluation.ComputeDevice.Cpu, RunSettings.FromJson((await host.RunAsync(runId)).SettingsJson).Device);
        Assert.Contains("CUDA is not available here", cuda.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CancelAsync_QueuedRun_CanceledAtOnceAndTheJobDoesNothing()
    {
        await using var host = new JobsHost(_directory.Path);
        await host.MigrateAsync();
        var runId = await host.CreateRunAsync();

        var found = await host.Get<RunCommands>().CancelAsync(runId);
        await host.RunJobAsync(runId);

        Assert.True(found);
        var run = await host.RunAsync(runId);
        Assert.Equal(RunStatus.Canceled, run.Status);
        Assert.Null(run.StartedAt);
        Assert.Empty(await host.GenerationsAsync(runId));
        Assert.Equal([RunStatus.Canceled], host.Events.Statuses.Select(s => s.Status));
        using var connection = host.Get<Hangfire.JobStorage>().GetConnection();
        Assert.Equal("Deleted", connection.GetStateData(run.JobId!).Name);
    }

    [Fact]
    public async Task RunAsync_ModelFileMissing_FailsWithTheMessageStoredAndNoRetry()
    {
        await using var host = new JobsHost(_directory.Path);
        await host.MigrateAsync();
        var runId = await host.CreateRunAsync();
        await using (var db = host.Db())
        {
            var model = await db.Runs.Where(r => r.Id == runId).Select(r => r.Model!.File!).SingleAsync();
            File.Delete(host.Get<Storage.FileStore>().PathOf(model));
        }

        await host.RunJobAsync(runId);

        var run = await host.RunAsync(runId);
        Assert.Equal(RunStatus.Failed, run.Status);
        Assert.False(string.IsNullOrWhiteSpace(run.Error));
        Assert.Equal(RunStatus.Failed, host.Events.Statuses.Last().Status);
        Assert.Contains(typeof(CompressionRunJob).GetCustomAttributes(typeof(Hangfire.AutomaticRetryAttribute), false).Cast<Hangfire.AutomaticRetryAttribute>(), a => a.Attempts == 0);
    }

    [Fact]
    public async Task RunAsync_SlowProgressInterval_ThrottlesProgressButDeliversEveryGenerationAndStatusInOrder()
    {
        await using var host = new JobsHost(_directory.Path, settings: new Dictionary<string, string?> { ["WeightShare:ProgressInterval"] = "01:00:00" });
        await host.MigrateAsync();
        var runId = await host.CreateRunAsync();

        await host.RunJobAsync(runId);

        // Past the run's first tick (the baseline starting), only the ticks that end a phase pass an hour-long interval:
        // one per phase, in order, the last at 100 %.
        var ticks = host.Events.All.OfType<Events.RunProgress>().ToList();
        Assert.StartsWith("Measuring the uploaded model on 300 validation", ticks[0].Message, StringComparison.Ordinal);
        Assert.Equal([PipelinePhase.Baseline, PipelinePhase.Baseline, PipelinePhase.Search, PipelinePhase.Refine, PipelinePhase.Finish], ticks.Select(t => t.Phase));
        Assert.Equal(1.0, ticks[^1].Fraction);
        Assert.Equal([1, 2, 3, 4], host.Events.Generations.Select(g => g.Generation));
        Assert.Equal([RunStatus.Running, RunStatus.Succeeded], host.Events.Statuses.Select(s => s.Status));
        var order = host.Events.All.Where(e => e is Events.GenerationCompleted or Events.RunStatusChanged).ToList();
        Assert.IsType<Events.RunStatusChanged>(order[0]);
        Assert.Equal(RunStatus.Succeeded, Assert.IsType<Events.RunStatusChanged>(order[5]).Status);
    }

    [Fact]
    public async Task RunAsync_AnotherJobCommittedTheNextGeneration_StepsAsideWithoutFailingTheRun()
    {
        await using var host = new JobsHost(_directory.Path);
        await host.MigrateAsync();
        var runId = await host.CreateRunAsync();
        host.Events.OnGeneration = async g =>
        {
            if (g.Generation == 1)
            {
                // What a duplicate job on the same run would have written first.
                await using var db = host.Db();
                db.Generations.Add(new Data.Generation { RunId = runId, Number = 2, PopulationJson = "[]", FrontJson = "[]", StateJson = "{}" });
                await db.SaveChangesAsync();
            }
        };

        await host.RunJobAsync(runId);

        var run = await host.RunAsync(runId);
        Assert.Equal(RunStatus.Running, run.Status);
        Assert.Null(run.Error);
        Assert.Equal(1, run.Generation);
        Assert.Equal([1, 2], (await host.GenerationsAsync(runId)).Select(g => g.Number));
    }

    [Fact]
    public async Task RunAsync_AnotherExecutionKeepsRenewingItsLease_LeavesTheRunToIt()
    {
        await using var host = new JobsHost(_directory.Path, settings: new Dictionary<string, string?> { ["WeightShare:RunLease"] = "00:00:03" });
        await host.MigrateAsync();
        var runId = await host.CreateRunAsync();
        using var holderStops = new CancellationTokenSource();
        // A live holder elsewhere: it renews its lease every second.
        var holder = Task.Run(async () =>
        {
            while (!holderStops.IsCancellationRequested)
            {
                await using var db = host.Db();
                await db.Runs.Where(r => r.Id == runId).ExecuteUpdateAsync(u => u
                    .SetProperty(r => r.Worker, "elsewhere").SetProperty(r => r.LeaseToken, "other-execution").SetProperty(r => r.LeaseExpiresAt, DateTime.UtcNow.AddSeconds(3)));
                await Task.Delay(1000, CancellationToken.None);
            }
        });
        await Task.Delay(200);

        await host.RunJobAsync(runId);
        await holderStops.CancelAsync();
        await holder;

        // This job waited a lease period, saw the lease kept alive and did nothing: the holder finishes the run.
        var held = await host.RunAsync(runId);
        Assert.Equal(RunStatus.Queued, held.Status);
        Assert.Equal("elsewhere", held.Worker);
        Assert.Empty(await host.GenerationsAsync(runId));
    }

    [Fact]
    public async Task RunAsync_TheHolderDiedWithItsLeaseLive_WaitsForItToLapseAndFinishesTheRun()
    {
        // What a crash (kill -9) leaves: the run Running under a lease nobody renews any more.
        await using var host = new JobsHost(_directory.Path, settings: new Dictionary<string, string?> { ["WeightShare:RunLease"] = "00:00:03" });
        await host.MigrateAsync();
        var runId = await host.CreateRunAsync();
        await using (var db = host.Db())
        {
            await db.Runs.Where(r => r.Id == runId).ExecuteUpdateAsync(u => u.SetProperty(r => r.Status, RunStatus.Running)
                .SetProperty(r => r.Worker, "dead").SetProperty(r => r.LeaseToken, "dead-execution").SetProperty(r => r.LeaseExpiresAt, DateTime.UtcNow.AddSeconds(2)));
        }

        await host.RunJobAsync(runId);

        var done = await host.RunAsync(runId);
        Assert.Equal(RunStatus.Succeeded, done.Status);
        Assert.Equal(host.Get<Microsoft.Extensions.Options.IOptions<WeightShareOptions>>().Value.WorkerName, done.Worker);
        Assert.Null(done.LeaseToken);
        Assert.Null(done.LeaseExpiresAt);
    }

    private static async Task<string> SnapshotAsync(JobsHost host, string runId)
    {
        await using var db = host.Db();
        var run = await db.Runs.AsNoTracking().SingleAsync(r => r.Id == runId);
        var generations = await db.Generations.AsNoTracking().Where(g => g.RunId == runId).OrderBy(g => g.Number)
            .Select(g => new { g.Id, g.Number, g.FrontJson, g.StateJson, g.CreatedAt }).ToListAsync();
        var solutions = await db.Solutions.AsNoTracking().Where(s => s.RunId == runId).OrderBy(s => s.ParametersJson)
            .Select(s => new { s.Id, s.ParametersJson, s.SharedValues, s.TestAccuracy, s.CompressedFileId, s.CheckpointFileId }).ToListAsync();
        var files = await db.Files.AsNoTracking().OrderBy(f => f.Id).Select(f => new { f.Id, f.Sha256 }).ToListAsync();
        var onDisk = Directory.EnumerateFiles(host.Get<Storage.FileStore>().Root, "*", SearchOption.AllDirectories).Order();
        return System.Text.Json.JsonSerializer.Serialize(new { run, generations, solutions, files, onDisk });
    }

    public void Dispose() => _directory.Dispose();
}
