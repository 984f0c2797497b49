using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WeightShare.Engine;
using WeightShare.Engine.Checkpoints;
using WeightShare.Engine.Compression;
using WeightShare.Engine.Evaluation;
using WeightShare.Engine.Pipeline;
using WeightShare.Jobs.Catalog;
using WeightShare.Jobs.Data;
using WeightShare.Jobs.Events;
using WeightShare.Jobs.Storage;

namespace WeightShare.Jobs.Runs;

/// <summary>Starting and cancelling runs: the writes the API makes, each followed by the job or event it needs.</summary>
public sealed class RunCommands(
    IDbContextFactory<WeightShareDbContext> contexts,
    IBackgroundJobClient jobs,
    IRunEvents events,
    FileStore files,
    DatasetCatalog datasets,
    SettingsResolver resolver,
    IOptions<WeightShareOptions> options,
    ILogger<RunCommands> logger)
{
    /// <summary>
    /// Resolves the settings against the model and dataset (<see cref="SettingsResolver"/>: every refusal is an
    /// <see cref="InvalidInputException"/>), probes the model on two samples of the dataset, stores a Queued run with
    /// its settings filled in and enqueues its job. Without a dataset the run is data-free.
    /// </summary>
    public async Task<Run> CreateAsync(string modelId, string? datasetId, RunSettings settings, string? notes = null, CancellationToken cancellationToken = default)
    {
        notes = RunLimits.Notes(notes);
        resolver.Check(settings);
        settings = resolver.ForNewRun(settings);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var model = await db.Models.Include(m => m.File).SingleOrDefaultAsync(m => m.Id == modelId, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidInputException($"There is no model with id '{modelId}'.");
        Dataset? dataset = null;
        if (datasetId is not null)
        {
            dataset = await db.Datasets.Include(d => d.File).Include(d => d.SecondFile)
                .SingleOrDefaultAsync(d => d.Id == datasetId, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidInputException($"There is no dataset with id '{datasetId}'.");
        }
        var inputs = new RunInputs(Enum.Parse<CheckpointFormat>(model.Format, ignoreCase: true), model.SizeBytes, dataset?.Samples, dataset?.Classes ?? 0);
        var resolved = resolver.Resolve(settings, inputs, options.Value.Device);
        await Task.Run(() => Probe(model, dataset, resolved), cancellationToken).ConfigureAwait(false);
        var run = new Run
        {
            ModelId = model.Id,
            DatasetId = datasetId,
            SettingsJson = resolved.Settings.ToJson(),
            Generations = resolved.Settings.Search.Generations,
            Notes = notes,
        };
        db.Runs.Add(run);
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        run.JobId = Enqueue(run.Id);
        await db.SaveChangesAsync(CancellationToken.None).ConfigureAwait(false);
        return run;
    }

    /// <summary>
    /// Asks a run to stop. A queued run is Canceled at once; a running one is stopped by its job within one evaluation.
    /// Returns false for an unknown id; a finished run is left as it is.
    /// </summary>
    public async Task<bool> CancelAsync(string runId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var found = await db.Runs.Where(r => r.Id == runId)
            .ExecuteUpdateAsync(u => u.SetProperty(r => r.CancelRequested, true), cancellationToken).ConfigureAwait(false);
        if (found == 0)
        {
            return false;
        }
        await CancelIfQueuedAsync(db, runId, cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>
    /// Cancels the run if it is still queued, in one conditional update (a job that has just taken it is not
    /// overwritten); true when it was.
    /// </summary>
    private async Task<bool> CancelIfQueuedAsync(WeightShareDbContext db, string runId, CancellationToken cancellationToken)
    {
        var canceled = await db.Runs.Where(r => r.Id == runId && r.Status == RunStatus.Queued)
            .ExecuteUpdateAsync(
                u => u.SetProperty(r => r.Status, RunStatus.Canceled).SetProperty(r => r.CancelRequested, true).SetProperty(r => r.FinishedAt, DateTime.UtcNow),
                cancellationToken).ConfigureAwait(false);
        if (canceled == 0)
        {
            return false;
        }
        // The queued job has nothing left to do (it would find the run final and return).
        CanceledJobs.Delete(jobs, await db.Runs.Where(r => r.Id == runId).Select(r => r.JobId).SingleAsync(CancellationToken.None).ConfigureAwait(false), logger);
        await events.StatusChangedAsync(new RunStatusChanged(runId, RunStatus.Canceled, null), CancellationToken.None).ConfigureAwait(false);
        return true;
    }

    /// <summary>
    /// "Stop and keep": asks a run's search to end at its last stored generation; the run then refines and finishes
    /// what the search found. A queued run has found nothing and is canceled; a run past its search is left as it is.
    /// Returns false for an unknown id.
    /// </summary>
    public async Task<bool> StopSearchAsync(string runId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        if (!await db.Runs.AnyAsync(r => r.Id == runId, cancellationToken).ConfigureAwait(false))
        {
            return false;
        }
        if (!await CancelIfQueuedAsync(db, runId, cancellationToken).ConfigureAwait(false))
        {
            // Only a run that is still searching (or about to) has a search to end; anything later is left as it is.
            await db.Runs.Where(r => r.Id == runId && !RunStatuses.Final.Contains(r.Status) && (r.Phase == PipelinePhase.Baseline || r.Phase == PipelinePhase.Search))
                .ExecuteUpdateAsync(u => u.SetProperty(r => r.StopSearchRequested, true), cancellationToken).ConfigureAwait(false);
        }
        return true;
    }

    /// <summary>Replaces a run's notes (null or blank clears them). Returns false for an unknown id.</summary>
    public async Task<bool> SetNotesAsync(string runId, string? notes, CancellationToken cancellationToken = default)
    {
        notes = RunLimits.Notes(notes);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await db.Runs.Where(r => r.Id == runId)
            .ExecuteUpdateAsync(u => u.SetProperty(r => r.Notes, notes), cancellationToken).ConfigureAwait(false) > 0;
    }

    /// <summary>
    /// Deletes a finished run, its generations and solutions, and the files only its solutions refer to. Returns false
    /// for an unknown id; a run still queued or running raises <see cref="RunStateException"/>.
    /// </summary>
    public async Task<bool> DeleteAsync(string runId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var run = await db.Runs.Include(r => r.Solutions).ThenInclude(s => s.CompressedFile)
            .Include(r => r.Solutions).ThenInclude(s => s.CheckpointFile)
            .SingleOrDefaultAsync(r => r.Id == runId, cancellationToken).ConfigureAwait(false);
        if (run is null)
        {
            return false;
        }
        if (!run.IsFinal)
        {
            throw new RunStateException($"Run '{runId}' is {run.Status}; cancel it and wait for it to stop before deleting it.");
        }
        var outputs = run.Solutions.SelectMany(s => new[] { s.CompressedFile, s.CheckpointFile }).OfType<StoredFile>().ToArray();
        db.Runs.Remove(run);
        db.Files.RemoveRange(outputs);
        await db.SaveChangesAsync(CancellationToken.None).ConfigureAwait(false);
        // Content is shared by hash: remove a file only when no other row names the same bytes.
        foreach (var sha in outputs.Select(f => f.Sha256).Distinct())
        {
            await files.DeleteUnreferencedAsync(db, sha, CancellationToken.None).ConfigureAwait(false);
        }
        return true;
    }

    // The job's first step in small: the model loads and takes two samples (data-free: the file has tensors to share).
    private void Probe(Model model, Dataset? dataset, ResolvedSettings resolved)
    {
        if (dataset is null)
        {
            ModelProbe.CheckDataFree(files.PathOf(model.File!));
            return;
        }
        var data = datasets.Load(dataset, new[] { dataset.File!, dataset.SecondFile }.OfType<StoredFile>().ToArray());
        ModelProbe.Check(files.PathOf(model.File!), data, resolved.Metric, resolved.Settings.Device ?? ComputeDevice.Cpu);
    }

    /// <summary>Enqueues the job for a run and returns the Hangfire job id.</summary>
    public string Enqueue(string runId) => jobs.Enqueue<CompressionRunJob>(job => job.RunAsync(runId, CancellationToken.None));
}
