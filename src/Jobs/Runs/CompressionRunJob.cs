using System.Diagnostics;
using System.Text.Json;
using Hangfire;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WeightShare.Engine.Compression;
using WeightShare.Engine.Evaluation;
using WeightShare.Engine.Search;
using WeightShare.Jobs.Catalog;
using WeightShare.Jobs.Data;
using WeightShare.Jobs.Events;
using WeightShare.Jobs.Storage;

namespace WeightShare.Jobs.Runs;

/// <summary>
/// Runs one compression run, phase by phase, committing each phase's results (and every generation) before going on.
/// Idempotent: it starts from what the database holds, so a retried, re-enqueued or duplicated job continues the run
/// rather than repeating it, and a finished run is left untouched.
/// </summary>
// A failed run keeps its message in the database; retrying a GPU-hour job blindly would only fail again.
[AutomaticRetry(Attempts = 0)]
public sealed class CompressionRunJob(
    IDbContextFactory<WeightShareDbContext> contexts,
    FileStore files,
    DatasetCatalog datasets,
    IRunEvents events,
    IOptions<WeightShareOptions> options,
    ILogger<CompressionRunJob> logger,
    TimeProvider? time = null)
{
    private const int SqliteConstraint = 19;
    private const int SqliteConstraintUnique = 2067;
    private const double BaselineShare = 0.05;
    private const double SearchShare = 0.80;
    private const double MergeShare = 0.10;

    private readonly ProgressThrottle _throttle = new(options.Value.ProgressInterval, time ?? TimeProvider.System);

    /// <summary>
    /// Runs or continues the run. <paramref name="cancellationToken"/> is Hangfire's shutdown token: when it fires the
    /// run is left in its current state for recovery to continue. A user's cancel request ends it as Canceled.
    /// </summary>
    public async Task RunAsync(string runId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var run = await db.Runs.SingleOrDefaultAsync(r => r.Id == runId, cancellationToken).ConfigureAwait(false);
        if (run is null)
        {
            logger.LogWarning("Run {RunId} does not exist; nothing to do.", runId);
            return;
        }
        if (run.IsFinal)
        {
            return;
        }
        if (run.CancelRequested)
        {
            await EndAsync(runId, RunStatus.Canceled, null).ConfigureAwait(false);
            return;
        }

        using var userCancel = new CancellationTokenSource();
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, userCancel.Token);
        using var stopWatching = new CancellationTokenSource();
        var watcher = Task.Run(() => WatchForCancelAsync(runId, userCancel, stopWatching.Token), CancellationToken.None);
        try
        {
            if (run.Status == RunStatus.Queued)
            {
                run.Status = RunStatus.Running;
                run.StartedAt ??= DateTime.UtcNow;
                await db.SaveChangesAsync(CancellationToken.None).ConfigureAwait(false);
                await NotifyAsync(e => e.StatusChangedAsync(new RunStatusChanged(runId, run.Status, null), CancellationToken.None)).ConfigureAwait(false);
            }
            await ExecuteAsync(db, run, linked.Token).ConfigureAwait(false);
            await EndAsync(runId, RunStatus.Succeeded, null).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (userCancel.IsCancellationRequested)
        {
            await EndAsync(runId, RunStatus.Canceled, null).ConfigureAwait(false);
        }
        catch (RunTakenOverException e)
        {
            logger.LogWarning(e, "Run {RunId}: this job stops, another one holds the run.", runId);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutdown, not a user's request: the run stays Running/Merging and is continued after the restart.
            logger.LogInformation("Run {RunId} interrupted by shutdown after generation {Generation}.", runId, run.Generation);
            throw;
        }
        catch (Exception e)
        {
            logger.LogError(e, "Run {RunId} failed.", runId);
            await EndAsync(runId, RunStatus.Failed, e.Message).ConfigureAwait(false);
        }
        finally
        {
            await stopWatching.CancelAsync().ConfigureAwait(false);
            await watcher.ConfigureAwait(false);
        }
    }

    private async Task ExecuteAsync(WeightShareDbContext db, Run run, CancellationToken cancellationToken)
    {
        var settings = RunSettings.FromJson(run.SettingsJson);
        var compression = settings.ToOptions(options.Value.Device);
        var model = await db.Models.Include(m => m.File).SingleAsync(m => m.Id == run.ModelId, cancellationToken).ConfigureAwait(false);
        var dataset = await db.Datasets.Include(d => d.File).Include(d => d.SecondFile)
            .SingleAsync(d => d.Id == run.DatasetId, cancellationToken).ConfigureAwait(false);
        var data = datasets.Load(dataset, new[] { dataset.File!, dataset.SecondFile }.OfType<StoredFile>().ToArray());
        using var session = CompressionSession.Open(files.PathOf(model.File!), data, compression, model.FileName);

        if (run.Phase == RunPhase.Baseline)
        {
            await BaselineAsync(db, run, session, cancellationToken).ConfigureAwait(false);
        }
        if (run.Phase == RunPhase.Search)
        {
            await SearchAsync(db, run, session, cancellationToken).ConfigureAwait(false);
        }
        if (run.Phase == RunPhase.Merge)
        {
            await MergeAsync(db, run, session, settings, cancellationToken).ConfigureAwait(false);
        }
        if (run.Phase == RunPhase.Finish)
        {
            await FinishAsync(db, run, session, model, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task BaselineAsync(WeightShareDbContext db, Run run, CompressionSession session, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var baseline = session.EvaluateBaseline(cancellationToken);
        run.BaselineValidationAccuracy = baseline.Validation.Accuracy;
        run.BaselineValidationMacroF1 = baseline.Validation.MacroF1;
        run.BaselineTestAccuracy = baseline.Test.Accuracy;
        run.BaselineTestMacroF1 = baseline.Test.MacroF1;
        run.BaselineSizeBytes = baseline.SizeBytes;
        run.BaselineSeconds += clock.Elapsed.TotalSeconds;
        run.Phase = RunPhase.Search;
        run.Progress = BaselineShare;
        await db.SaveChangesAsync(CancellationToken.None).ConfigureAwait(false);
        await ProgressAsync(run, $"Original model: validation accuracy {baseline.Validation.Accuracy:P2}", force: true).ConfigureAwait(false);
    }

    private async Task SearchAsync(WeightShareDbContext db, Run run, CompressionSession session, CancellationToken cancellationToken)
    {
        var last = await db.Generations.Where(g => g.RunId == run.Id).OrderByDescending(g => g.Number)
            .FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        var resumeFrom = last is null ? null : JsonSerializer.Deserialize<Nsga2State>(last.StateJson, RunSettings.Json);
        var clock = Stopwatch.StartNew();
        await session.SearchAsync(
            async (report, state, _) =>
            {
                var population = Points(report.Population);
                var front = Points(report.Front);
                db.Generations.Add(new Generation
                {
                    RunId = run.Id,
                    Number = report.Generation,
                    Hypervolume = report.Hypervolume,
                    Evaluations = report.EvaluationsComputed,
                    CacheHits = report.CacheHits,
                    PopulationJson = JsonSerializer.Serialize(population, RunSettings.Json),
                    FrontJson = JsonSerializer.Serialize(front, RunSettings.Json),
                    StateJson = JsonSerializer.Serialize(state, RunSettings.Json),
                });
                run.Generation = report.Generation;
                run.Evaluations = report.EvaluationsComputed;
                run.CacheHits = report.CacheHits;
                run.SearchSeconds += clock.Elapsed.TotalSeconds;
                clock.Restart();
                run.Progress = BaselineShare + SearchShare * report.Generation / run.Generations;
                // The generation and its state commit together, whatever the token says: a half-written one cannot exist.
                await SaveUniqueAsync(db, run.Id).ConfigureAwait(false);
                await NotifyAsync(e => e.GenerationCompletedAsync(
                    new GenerationCompleted(run.Id, report.Generation, run.Generations, report.Hypervolume, report.EvaluationsComputed, report.CacheHits, population, front),
                    CancellationToken.None)).ConfigureAwait(false);
                await ProgressAsync(run, $"Generation {report.Generation} of {run.Generations}").ConfigureAwait(false);
            },
            resumeFrom,
            cancellationToken).ConfigureAwait(false);

        run.Phase = RunPhase.Merge;
        run.Status = RunStatus.Merging;
        await db.SaveChangesAsync(CancellationToken.None).ConfigureAwait(false);
        await NotifyAsync(e => e.StatusChangedAsync(new RunStatusChanged(run.Id, run.Status, null), CancellationToken.None)).ConfigureAwait(false);
    }

    private async Task MergeAsync(WeightShareDbContext db, Run run, CompressionSession session, RunSettings settings, CancellationToken cancellationToken)
    {
        var last = await db.Generations.Where(g => g.RunId == run.Id).OrderByDescending(g => g.Number)
            .FirstAsync(cancellationToken).ConfigureAwait(false);
        var front = JsonSerializer.Deserialize<FrontPoint[]>(last.FrontJson, RunSettings.Json)!
            .Select(p => p.K).Distinct().Order().ToArray();
        var done = await db.Solutions.Where(s => s.RunId == run.Id).Select(s => s.K).ToListAsync(cancellationToken).ConfigureAwait(false);
        var baseline = settings.Metric == Metric.MacroF1 ? run.BaselineValidationMacroF1 : run.BaselineValidationAccuracy;
        var baselineError = 1 - (baseline ?? throw new InvalidOperationException("The baseline is missing after the baseline phase."));
        var clock = Stopwatch.StartNew();
        foreach (var k in front.Except(done))
        {
            var candidate = session.Evaluate(k, cancellationToken);
            var metric = candidate.Validation.Of(settings.Metric);
            var steps = new MergeStepRelay(run.Id, k, events, logger);
            var plan = settings.Merge.Enabled && 1 - metric <= baselineError
                ? await session.MergeAsync(k, steps, cancellationToken).ConfigureAwait(false)
                : new SolutionPlan(k, null);
            db.Solutions.Add(new Solution
            {
                RunId = run.Id,
                K = k,
                SharedValues = plan.GroupStarts?.Count ?? candidate.SharedValues,
                Merged = plan.Merged,
                GroupStartsJson = plan.GroupStarts is null ? null : JsonSerializer.Serialize(plan.GroupStarts, RunSettings.Json),
                ValidationAccuracy = steps.LastValidationMetric ?? metric,
            });
            run.MergeSeconds += clock.Elapsed.TotalSeconds;
            clock.Restart();
            run.Progress = BaselineShare + SearchShare + MergeShare * (done.Count + 1) / front.Length;
            done.Add(k);
            await SaveUniqueAsync(db, run.Id).ConfigureAwait(false);
            await ProgressAsync(run, $"Merged the bins of k = {k}").ConfigureAwait(false);
        }
        run.Phase = RunPhase.Finish;
        await db.SaveChangesAsync(CancellationToken.None).ConfigureAwait(false);
    }

    private async Task FinishAsync(WeightShareDbContext db, Run run, CompressionSession session, Model model, CancellationToken cancellationToken)
    {
        var solutions = await db.Solutions.Where(s => s.RunId == run.Id).OrderBy(s => s.K).ToListAsync(cancellationToken).ConfigureAwait(false);
        var name = Path.GetFileNameWithoutExtension(model.FileName);
        var extension = Path.GetExtension(model.FileName);
        var clock = Stopwatch.StartNew();
        var finished = solutions.Count(s => s.IsFinished);
        foreach (var solution in solutions.Where(s => !s.IsFinished))
        {
            var groups = solution.GroupStartsJson is null ? null : JsonSerializer.Deserialize<int[]>(solution.GroupStartsJson, RunSettings.Json);
            var compressedPath = files.NewTemporaryPath(".wsz");
            var checkpointPath = files.NewTemporaryPath(extension);
            try
            {
                var figures = session.Finish(new SolutionPlan(solution.K, groups), compressedPath, checkpointPath, cancellationToken);
                var stem = $"{name}-k{solution.K}{(solution.Merged ? "-merged" : "")}";
                using var compressed = await files.StageWrittenAsync(compressedPath, cancellationToken).ConfigureAwait(false);
                using var checkpoint = await files.StageWrittenAsync(checkpointPath, cancellationToken).ConfigureAwait(false);
                var compressedFile = files.Commit(compressed, stem + ".wsz");
                var checkpointFile = files.Commit(checkpoint, stem + extension);
                solution.SharedValues = figures.SharedValues;
                solution.ValidationAccuracy = figures.ValidationAccuracy;
                solution.TestAccuracy = figures.TestAccuracy;
                solution.ValidationMacroF1 = figures.ValidationMacroF1;
                solution.TestMacroF1 = figures.TestMacroF1;
                solution.BitsPerWeight = figures.BitsPerWeight;
                solution.CompressedBytes = figures.CompressedBytes;
                solution.OriginalBytes = figures.OriginalBytes;
                solution.FileCompressionRatio = figures.FileCompressionRatio;
                solution.PaperCompressionRatio = figures.PaperCompressionRatio;
                solution.CompressedFile = compressedFile;
                solution.CheckpointFile = checkpointFile;
                run.FinishSeconds += clock.Elapsed.TotalSeconds;
                clock.Restart();
                run.Progress = BaselineShare + SearchShare + MergeShare + (1 - BaselineShare - SearchShare - MergeShare) * ++finished / solutions.Count;
                await db.SaveChangesAsync(CancellationToken.None).ConfigureAwait(false);
            }
            finally
            {
                File.Delete(compressedPath);
                File.Delete(checkpointPath);
            }
            await ProgressAsync(run, $"Encoded k = {solution.K}").ConfigureAwait(false);
        }
        run.Phase = RunPhase.Done;
        await db.SaveChangesAsync(CancellationToken.None).ConfigureAwait(false);
    }

    /// <summary>Saves rows guarded by a unique index; a clash means a duplicate job got there first.</summary>
    private static async Task SaveUniqueAsync(WeightShareDbContext db, string runId)
    {
        try
        {
            await db.SaveChangesAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (DbUpdateException e) when (e.InnerException is SqliteException { SqliteErrorCode: SqliteConstraint, SqliteExtendedErrorCode: SqliteConstraintUnique })
        {
            throw new RunTakenOverException(runId, e);
        }
    }

    /// <summary>Writes a final status from a fresh context, so changes a failure left pending are not saved with it.</summary>
    private async Task EndAsync(string runId, RunStatus status, string? error)
    {
        await using var db = await contexts.CreateDbContextAsync(CancellationToken.None).ConfigureAwait(false);
        var updated = await db.Runs.Where(r => r.Id == runId && r.Status != RunStatus.Succeeded && r.Status != RunStatus.Failed && r.Status != RunStatus.Canceled)
            .ExecuteUpdateAsync(
                u => u.SetProperty(r => r.Status, status)
                    .SetProperty(r => r.Error, error)
                    .SetProperty(r => r.FinishedAt, DateTime.UtcNow)
                    .SetProperty(r => r.Progress, r => status == RunStatus.Succeeded ? 1.0 : r.Progress),
                CancellationToken.None).ConfigureAwait(false);
        if (updated > 0)
        {
            await NotifyAsync(e => e.StatusChangedAsync(new RunStatusChanged(runId, status, error), CancellationToken.None)).ConfigureAwait(false);
        }
    }

    /// <summary>Polls the cancel flag so that a request made in any process reaches this job.</summary>
    private async Task WatchForCancelAsync(string runId, CancellationTokenSource userCancel, CancellationToken stop)
    {
        try
        {
            using var timer = new PeriodicTimer(options.Value.CancelPollInterval);
            while (await timer.WaitForNextTickAsync(stop).ConfigureAwait(false))
            {
                await using var db = await contexts.CreateDbContextAsync(stop).ConfigureAwait(false);
                if (await db.Runs.Where(r => r.Id == runId).Select(r => r.CancelRequested).FirstOrDefaultAsync(stop).ConfigureAwait(false))
                {
                    await userCancel.CancelAsync().ConfigureAwait(false);
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            // A broken poll must not take the run down; the run's own work reports database trouble.
            logger.LogWarning(e, "Polling run {RunId} for a cancel request failed.", runId);
        }
    }

    private async Task ProgressAsync(Run run, string message, bool force = false)
    {
        if (_throttle.Allow(force))
        {
            await NotifyAsync(e => e.ProgressAsync(new RunProgress(run.Id, run.Phase, run.Progress, message), CancellationToken.None)).ConfigureAwait(false);
        }
    }

    private async Task NotifyAsync(Func<IRunEvents, ValueTask> send)
    {
        try
        {
            await send(events).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "A run event listener failed; the run goes on.");
        }
    }

    private static FrontPoint[] Points(IReadOnlyList<Individual> individuals) =>
        individuals.Select(i => new FrontPoint(i.X[0], (int)i.F[1], 1 - i.F[0])).ToArray();
}
