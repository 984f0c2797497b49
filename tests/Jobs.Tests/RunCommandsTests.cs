using System.Reflection;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using WeightShare.Engine;
using WeightShare.Jobs.Catalog;
using WeightShare.Jobs.Runs;
using WeightShare.Jobs.Storage;

namespace WeightShare.Jobs.Tests;

public sealed class RunCommandsTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    [Fact]
    public async Task CreateAsync_DatasetTheModelCannotTake_RefusedBeforeAnyRunExists()
    {
        await using var host = new JobsHost(_directory.Path);
        await host.MigrateAsync();
        var model = await host.AddFixtureModelAsync();
        await using var cifar = File.OpenRead(JobsHost.Fixture("eval-cifar.tar.gz"));
        var dataset = await host.Get<DatasetCatalog>().AddAsync([new DatasetUpload(cifar, "eval-cifar.tar.gz")], null);

        var refused = await Assert.ThrowsAsync<InvalidInputException>(() =>
            host.Get<RunCommands>().CreateAsync(model.Id, dataset.Id, JobsHost.TinySettings with { ValidationSamples = 50 }));

        Assert.Contains("3, 32, 32", refused.Message, StringComparison.Ordinal);
        await using var db = host.Db();
        Assert.Equal(0, await db.Runs.CountAsync());
    }

    [Fact]
    public async Task CreateAsync_Run_EnqueuesAJobTheDashboardNamesWithTheRunId()
    {
        // Arrange
        await using var host = new JobsHost(_directory.Path);
        await host.MigrateAsync();

        // Act
        var runId = await host.CreateRunAsync();

        // Assert: the job as the dashboard reads it back from storage, named as the dashboard names it (its
        // JobDisplayName attribute, formatted with the job's arguments; Format reads nothing of the request's context).
        var job = host.Get<JobStorage>().GetMonitoringApi().JobDetails((await host.RunAsync(runId)).JobId!).Job;
        var attribute = job.Method.GetCustomAttribute<JobDisplayNameAttribute>();
        Assert.NotNull(attribute);
        Assert.Equal($"Compression run {runId}", attribute.Format(null!, job));
    }

    [Fact]
    public async Task DeleteAsync_QueuedRun_RefusedAndRunKept()
    {
        await using var host = new JobsHost(_directory.Path);
        await host.MigrateAsync();
        var runId = await host.CreateRunAsync();

        await Assert.ThrowsAsync<RunStateException>(() => host.Get<RunCommands>().DeleteAsync(runId));

        Assert.Equal(RunStatus.Queued, (await host.RunAsync(runId)).Status);
    }

    [Fact]
    public async Task DeleteAsync_FinishedRun_RemovesRowsAndOutputFilesButKeepsUploads()
    {
        await using var host = new JobsHost(_directory.Path);
        await host.MigrateAsync();
        var runId = await host.CreateRunAsync();
        await host.RunJobAsync(runId);
        var solutions = await host.SolutionsAsync(runId);
        Assert.NotEmpty(solutions);
        var store = host.Get<FileStore>();
        var outputs = solutions.SelectMany(s => new[] { store.PathOf(s.CompressedFile!), store.PathOf(s.CheckpointFile!) }).ToArray();
        Assert.All(outputs, path => Assert.True(File.Exists(path)));

        var deleted = await host.Get<RunCommands>().DeleteAsync(runId);

        Assert.True(deleted);
        Assert.All(outputs, path => Assert.False(File.Exists(path), $"{path} should be gone with its run"));
        await using var db = host.Db();
        Assert.Equal(0, await db.Runs.CountAsync());
        Assert.Equal(0, await db.Generations.CountAsync());
        Assert.Equal(0, await db.Solutions.CountAsync());
        // The model and the two dataset files stay, with their content.
        var uploads = await db.Files.ToListAsync();
        Assert.Equal(3, uploads.Count);
        Assert.All(uploads, file => Assert.True(File.Exists(store.PathOf(file))));
        Assert.False(await host.Get<RunCommands>().DeleteAsync(runId));
    }

    [Fact]
    public async Task RunAsync_ReadBack_TimesAreUtc()
    {
        await using var host = new JobsHost(_directory.Path);
        await host.MigrateAsync();
        var runId = await host.CreateRunAsync();

        var run = await host.RunAsync(runId);

        Assert.Equal(DateTimeKind.Utc, run.CreatedAt.Kind);
        Assert.True(Math.Abs((DateTime.UtcNow - run.CreatedAt).TotalMinutes) < 5, $"created {run.CreatedAt:O} is not near now in UTC");
    }

    public void Dispose() => _directory.Dispose();
}
