using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WeightShare.Engine.Codecs;
using WeightShare.Engine.Compression;
using WeightShare.Engine.Pipeline;
using WeightShare.Jobs.Catalog;
using WeightShare.Jobs.Data;
using WeightShare.Jobs.Events;
using WeightShare.Jobs.Storage;

namespace WeightShare.Jobs.Runs;

/// <summary>
/// Runs or continues one compression run, in the manner of a scheduled-task worker: load the run, run the Engine's
/// <see cref="CompressionPipeline"/> over the database, and map success, a user's cancel and failure to the run's final
/// status. Idempotent: the pipeline starts from what the database holds, so a retried, re-enqueued or duplicated job
/// continues the run rather than repeating it, and a finished run is left untouched.
/// </summary>
// A failed run keeps its message in the database; retrying a GPU-hour job blindly would only fail again.
[AutomaticRetry(Attempts = 0)]
public sealed class CompressionRunJob(
    IDbContextFactory<WeightShareDbContext> contexts,
    FileStore files,
    DatasetCatalog datasets,
    SettingsResolver resolver,
    IRunEvents events,
    IOptions<WeightShareOptions> options,
    ILogger<CompressionRunJob> logger,
    IBackgroundJobClient jobs,
    TimeProvider? time = null)
{
    private readonly ProgressThrottle _throttle = new(options.Value.ProgressInterval, time ?? TimeProvider.System);
    private readonly RunEventSender _events = new(events, logger);

    /// <summary>
    /// Runs or continues the run. <paramref name="cancellationToken"/> is Hangfire's shutdown token: when it fires the
    /// run is left in its current state for recovery to continue. A user's cancel request ends it as Canceled.
    /// </summary>
    // Hangfire's dashboard otherwise lists every run's job as "CompressionRunJob.RunAsync"; {0} is the run id.
    [JobDisplayName("Compression run {0}")]
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
            CanceledJobs.Delete(jobs, run.JobId, logger);
            return;
        }

        // One execution at a time: a second job for the run (recovery's duplicate, a requeue, a job re-offered while its
        // worker still lives) finds the lease held and leaves the run to its holder.
        var lease = Guid.NewGuid().ToString("N");
        if (!await TakeLeaseAsync(db, run, lease, cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        using var userCancel = new CancellationTokenSource();
        using var leaseLost = new CancellationTokenSource();
        using var stopSearch = new CancellationTokenSource();
        if (run.StopSearchRequested)
        {
            await stopSearch.CancelAsync().ConfigureAwait(false);
        }
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, userCancel.Token, leaseLost.Token);
        using var stopWatching = new CancellationTokenSource();
        var watcher = Task.Run(() => WatchForRequestsAsync(runId, lease, userCancel, stopSearch, leaseLost, stopWatching.Token), CancellationToken.None);
        try
        {
            if (run.Status == RunStatus.Queued)
            {
                run.Status = RunStatus.Running;
                run.StartedAt ??= DateTime.UtcNow;
                await db.SaveChangesAsync(CancellationToken.None).ConfigureAwait(false);
                await _events.SendAsync(e => e.StatusChangedAsync(new RunStatusChanged(runId, run.Status, null), CancellationToken.None)).ConfigureAwait(false);
            }
            await ExecuteAsync(db, run, linked.Token, stopSearch.Token).ConfigureAwait(false);
            await EndAsync(runId, RunStatus.Succeeded, null).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (userCancel.IsCancellationRequested)
        {
            await EndAsync(runId, RunStatus.Canceled, null).ConfigureAwait(false);
            // Returning would mark the job Succeeded in Hangfire's dashboard; deleted while processing, it stays Deleted.
            CanceledJobs.Delete(jobs, run.JobId, logger);
        }
        catch (RunTakenOverException e)
        {
            logger.LogWarning(e, "Run {RunId}: this job stops, another one holds the run.", runId);
            await ReleaseLeaseAsync(runId, lease).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (leaseLost.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning("Run {RunId}: this worker's lease lapsed and another worker took the run; this job stops.", runId);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutdown, not a user's request: the run stays Running and is continued after the restart, here
            // or by another worker, which need not wait for this lease to lapse.
            logger.LogInformation("Run {RunId} interrupted by shutdown after generation {Generation}.", runId, run.Generation);
            await ReleaseLeaseAsync(runId, lease).ConfigureAwait(false);
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

    private async Task ExecuteAsync(WeightShareDbContext db, Run run, CancellationToken cancellationToken, CancellationToken stopSearch)
    {
        var settings = RunSettings.FromJson(run.SettingsJson);
        var model = await db.Models.Include(m => m.File).SingleAsync(m => m.Id == run.ModelId, cancellationToken).ConfigureAwait(false);
        using var session = await OpenAsync(db, run, model, settings, cancellationToken).ConfigureAwait(false);
        var store = new EfRunStore(db, run, session.Options, session.Genes, session.Codec.Id, files, _events);
        await new CompressionPipeline(session, store, new ProgressRelay(run.Id, _events, _throttle)).RunAsync(cancellationToken, stopSearch).ConfigureAwait(false);
    }

    /// <summary>The run's session: on its dataset, or data-free when it has none.</summary>
    private async Task<CompressionSession> OpenAsync(WeightShareDbContext db, Run run, Model model, RunSettings settings, CancellationToken cancellationToken)
    {
        settings = settings with { Device = settings.Device ?? options.Value.Device };
        if (run.DatasetId is null)
        {
            return CompressionSession.OpenDataFree(files.PathOf(model.File!), settings, model.FileName, resolver);
        }
        var dataset = await db.Datasets.Include(d => d.File).Include(d => d.SecondFile)
            .SingleAsync(d => d.Id == run.DatasetId, cancellationToken).ConfigureAwait(false);
        var data = datasets.Load(dataset, new[] { dataset.File!, dataset.SecondFile }.OfType<StoredFile>().ToArray());
        return CompressionSession.Open(files.PathOf(model.File!), data, settings, model.FileName, resolver);
    }

    /// <summary>Writes a final status from a fresh context, so changes a failure left pending are not saved with it.</summary>
    private async Task EndAsync(string runId, RunStatus status, string? error)
    {
        await using var db = await contexts.CreateDbContextAsync(CancellationToken.None).ConfigureAwait(false);
        var updated = await db.Runs.Where(r => r.Id == runId && !RunStatuses.Final.Contains(r.Status))
            .ExecuteUpdateAsync(
                u => u.SetProperty(r => r.Status, status)
                    .SetProperty(r => r.Error, error)
                    .SetProperty(r => r.LeaseToken, (string?)null)
                    .SetProperty(r => r.LeaseExpiresAt, (DateTime?)null)
                    .SetProperty(r => r.FinishedAt, DateTime.UtcNow)
                    .SetProperty(r => r.Progress, r => status == RunStatus.Succeeded ? 1.0 : r.Progress),
                CancellationToken.None).ConfigureAwait(false);
        if (updated > 0)
        {
            await _events.SendAsync(e => e.StatusChangedAsync(new RunStatusChanged(runId, status, error), CancellationToken.None)).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Takes the run's lease for this execution once no other execution holds a live one. A lease that lapses within
    /// one lease period (its holder died: a crash, kill -9, a lost machine) is taken; one that stays live that long has
    /// a holder renewing it, and this job ends and leaves the run to it. False then, or when the run became final.
    /// Lease times are each process's UTC clock: machines of a scale-out must keep their clocks in step (NTP) to well
    /// within <see cref="WeightShareOptions.RunLease"/>.
    /// </summary>
    private async Task<bool> TakeLeaseAsync(WeightShareDbContext db, Run run, string lease, CancellationToken cancellationToken)
    {
        var duration = options.Value.RunLease;
        var giveUp = DateTime.UtcNow + duration + (duration / 3);
        for (var attempt = 0; ; attempt++)
        {
            var now = DateTime.UtcNow;
            var expires = now + duration;
            var taken = await db.Runs
                .Where(r => r.Id == run.Id && !RunStatuses.Final.Contains(r.Status) && (r.LeaseToken == null || r.LeaseExpiresAt == null || r.LeaseExpiresAt < now))
                .ExecuteUpdateAsync(u => u.SetProperty(r => r.Worker, options.Value.WorkerName).SetProperty(r => r.LeaseToken, lease).SetProperty(r => r.LeaseExpiresAt, expires), cancellationToken)
                .ConfigureAwait(false);
            if (taken > 0)
            {
                await db.Entry(run).ReloadAsync(cancellationToken).ConfigureAwait(false);
                return !run.IsFinal;
            }
            var holder = await db.Runs.AsNoTracking().Where(r => r.Id == run.Id).Select(r => new { r.Status, r.Worker, r.LeaseExpiresAt }).SingleAsync(cancellationToken).ConfigureAwait(false);
            if (holder.Status.IsFinal())
            {
                return false;
            }
            if (now > giveUp)
            {
                logger.LogInformation("Run {RunId} is held by worker {Worker}, which keeps renewing its lease; this job ends and leaves the run to it.", run.Id, holder.Worker);
                return false;
            }
            if (attempt == 0)
            {
                logger.LogInformation("Run {RunId} is leased to worker {Worker} until {Expires:O}; this job waits to see whether that lease lapses.", run.Id, holder.Worker, holder.LeaseExpiresAt);
            }
            await Task.Delay(duration / 6, time ?? TimeProvider.System, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Gives the run's lease up, so another worker may continue it at once (best effort).</summary>
    private async Task ReleaseLeaseAsync(string runId, string lease)
    {
        try
        {
            await using var db = await contexts.CreateDbContextAsync(CancellationToken.None).ConfigureAwait(false);
            await db.Runs.Where(r => r.Id == runId && r.LeaseToken == lease)
                .ExecuteUpdateAsync(u => u.SetProperty(r => r.LeaseToken, (string?)null).SetProperty(r => r.LeaseExpiresAt, (DateTime?)null), CancellationToken.None)
                .ConfigureAwait(false);
        }
        catch (Exception e)
        {
            // The lease lapses by itself; releasing it only saves another worker that wait.
            logger.LogWarning(e, "Releasing the lease of run {RunId} failed.", runId);
        }
    }

    /// <summary>
    /// Polls the cancel and stop-search flags so that a request made in any process reaches this job, and renews the
    /// run's lease. A failed poll is logged and tried again; a lease another execution holds, or one not renewed for a
    /// whole <see cref="WeightShareOptions.RunLease"/> (another may take it), stops this job.
    /// </summary>
    private async Task WatchForRequestsAsync(string runId, string lease, CancellationTokenSource userCancel, CancellationTokenSource stopSearch, CancellationTokenSource leaseLost, CancellationToken stop)
    {
        var duration = options.Value.RunLease;
        var renewed = DateTime.UtcNow;
        try
        {
            using var timer = new PeriodicTimer(options.Value.CancelPollInterval);
            while (await timer.WaitForNextTickAsync(stop).ConfigureAwait(false))
            {
                try
                {
                    await using var db = await contexts.CreateDbContextAsync(stop).ConfigureAwait(false);
                    if (DateTime.UtcNow - renewed > duration / 3)
                    {
                        var now = DateTime.UtcNow;
                        var expires = now + duration;
                        var kept = await db.Runs.Where(r => r.Id == runId && r.LeaseToken == lease)
                            .ExecuteUpdateAsync(u => u.SetProperty(r => r.LeaseExpiresAt, expires), stop).ConfigureAwait(false);
                        if (kept == 0)
                        {
                            // This job's own end clears the lease before the watcher is stopped: a final run is no takeover.
                            var status = await db.Runs.Where(r => r.Id == runId).Select(r => r.Status).FirstOrDefaultAsync(stop).ConfigureAwait(false);
                            if (RunStatuses.Final.Contains(status))
                            {
                                return;
                            }
                            logger.LogWarning("Run {RunId}: another execution holds its lease now; this job stops.", runId);
                            await leaseLost.CancelAsync().ConfigureAwait(false);
                            return;
                        }
                        renewed = now;
                    }
                    var requests = await db.Runs.Where(r => r.Id == runId).Select(r => new { r.CancelRequested, r.StopSearchRequested }).FirstOrDefaultAsync(stop).ConfigureAwait(false);
                    if (requests?.StopSearchRequested == true && !stopSearch.IsCancellationRequested)
                    {
                        await stopSearch.CancelAsync().ConfigureAwait(false);
                    }
                    if (requests?.CancelRequested == true)
                    {
                        await userCancel.CancelAsync().ConfigureAwait(false);
                        return;
                    }
                }
                catch (Exception e) when (e is not OperationCanceledException || !stop.IsCancellationRequested)
                {
                    // A failed poll is tried again at the next tick; a lease that could not be renewed for its whole
                    // duration may be another worker's by now, so this job stops rather than run beside it.
                    logger.LogWarning(e, "Polling run {RunId} for cancel and stop requests, or renewing its lease, failed.", runId);
                    if (DateTime.UtcNow - renewed > duration)
                    {
                        await leaseLost.CancelAsync().ConfigureAwait(false);
                        return;
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }
}
