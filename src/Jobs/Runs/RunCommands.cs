using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WeightShare.Engine;
using WeightShare.Engine.Codecs;
using WeightShare.Engine.Compression;
using WeightShare.Engine.Evaluation;
using WeightShare.Engine.Pipeline;
using WeightShare.Engine.Wsz;
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
    CodecRegistry codecs,
    IOptions<WeightShareOptions> options,
    ILogger<RunCommands> logger)
{
    /// <summary>
    /// Checks the settings against the model and dataset, stores a Queued run and enqueues its job. Unknown ids and
    /// unusable settings raise <see cref="InvalidInputException"/>; so does a model that cannot take one batch of the
    /// dataset, found here rather than when the job starts. Without a dataset the run is data-free: its metric must be
    /// weightSnr, and any checkpoint the reader knows will do.
    /// </summary>
    public async Task<Run> CreateAsync(string modelId, string? datasetId, RunSettings settings, string? notes = null, CancellationToken cancellationToken = default)
    {
        notes = RunLimits.Notes(notes);
        settings = settings with { Device = settings.Device ?? options.Value.Device };
        var compression = settings.ToOptions(options.Value.Device);
        compression.Validate();
        if (!codecs.Contains(compression.Codec))
        {
            throw new InvalidInputException($"codec '{compression.Codec}' is not one of: {string.Join(", ", codecs.Ids)}.");
        }
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var model = await db.Models.Include(m => m.File).SingleOrDefaultAsync(m => m.Id == modelId, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidInputException($"There is no model with id '{modelId}'.");
        if (model.SizeBytes > WszBuilder.MaxOriginalBytes)
        {
            // A model stored before uploads were checked against the format's limit.
            throw new InvalidInputException(
                $"Model '{model.FileName}' is {model.SizeBytes:N0} bytes, more than the {WszBuilder.MaxOriginalBytes:N0} bytes a .wsz file can hold, so it cannot be compressed.");
        }
        if (datasetId is null)
        {
            return await CreateDataFreeAsync(db, model, settings, compression, notes, cancellationToken).ConfigureAwait(false);
        }
        if (settings.Metric == Metric.WeightSnr)
        {
            throw new InvalidInputException("Metric weightSnr measures the weights alone, without data: leave the dataset out, or measure accuracy, macroF1, agreement or outputFidelity on it.");
        }
        var dataset = await db.Datasets.Include(d => d.File).Include(d => d.SecondFile)
            .SingleOrDefaultAsync(d => d.Id == datasetId, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidInputException($"There is no dataset with id '{datasetId}'.");
        if (!model.CanEvaluate)
        {
            throw new InvalidInputException($"Model '{model.FileName}' is a {model.Format} file without its architecture, so its accuracy cannot be measured; upload a TorchScript export, or compress it without data (leave the dataset out: metric weightSnr).");
        }
        if (settings.ValidationSamples >= dataset.Samples)
        {
            throw new InvalidInputException($"validationSamples is {settings.ValidationSamples}, but the dataset has only {dataset.Samples} samples; keep some for the test figures.");
        }

        await Task.Run(() => CheckModelTakesDataset(model, dataset, compression), cancellationToken).ConfigureAwait(false);

        // Calibration needs autograd (TorchScript) and class scores (not output fidelity).
        var calibrates = codecs.Create(settings.Codec).Defaults.Calibrates && settings.Merge.Enabled && settings.Calibration.Budget > 0
            && settings.Metric != Metric.OutputFidelity && model.Format == "torchscript";
        return await StoreAsync(db, model, datasetId, settings, settings.Calibration.SamplesFor(calibrates, dataset.Samples - settings.ValidationSamples), notes, cancellationToken)
            .ConfigureAwait(false);
    }

    private async Task<Run> CreateDataFreeAsync(WeightShareDbContext db, Model model, RunSettings settings, CompressionOptions compression, string? notes, CancellationToken cancellationToken)
    {
        if (settings.Metric != Metric.WeightSnr)
        {
            throw new InvalidInputException($"A run without a dataset measures the weights alone: its metric is weightSnr, not {RunSettings.Name(settings.Metric)}. Give a datasetId to measure {RunSettings.Name(settings.Metric)}.");
        }
        // Opening the session reads every shared tensor: a file it cannot use is refused here, not when the job starts.
        await Task.Run(() =>
        {
            using var session = CompressionSession.OpenDataFree(files.PathOf(model.File!), compression, codecs: codecs);
        }, cancellationToken).ConfigureAwait(false);
        // Nothing calibrates without data: the stored settings say so.
        return await StoreAsync(db, model, null, settings, 0, notes, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Stores the run, Queued, and enqueues its job. What the settings leave open is the codec's, filled in here with
    /// the calibration samples the run takes: the stored settings say what the run really uses.
    /// </summary>
    private async Task<Run> StoreAsync(WeightShareDbContext db, Model model, string? datasetId, RunSettings settings, int calibrationSamples, string? notes, CancellationToken cancellationToken)
    {
        var defaults = codecs.Create(settings.Codec).Defaults;
        settings = settings with
        {
            Search = settings.Search.WithDefaults(defaults),
            Objective = settings.Objective ?? defaults.Objective,
            Calibration = settings.Calibration with { Samples = calibrationSamples },
        };
        var run = new Run
        {
            ModelId = model.Id,
            DatasetId = datasetId,
            SettingsJson = settings.ToJson(),
            Generations = settings.Search.Generations,
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

    private void CheckModelTakesDataset(Model model, Dataset dataset, CompressionOptions compression)
    {
        var data = datasets.Load(dataset, new[] { dataset.File!, dataset.SecondFile }.OfType<StoredFile>().ToArray());
        // Opening a session loads the model, splits the data and runs one batch: the job's own first step.
        using var session = CompressionSession.Open(files.PathOf(model.File!), data, compression, codecs: codecs);
    }

    /// <summary>Enqueues the job for a run and returns the Hangfire job id.</summary>
    public string Enqueue(string runId) => jobs.Enqueue<CompressionRunJob>(job => job.RunAsync(runId, CancellationToken.None));
}
