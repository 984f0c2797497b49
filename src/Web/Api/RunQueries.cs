using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using WeightShare.Engine.Metrics;
using WeightShare.Engine.Compression;
using WeightShare.Engine.Evaluation;
using WeightShare.Engine.Pipeline;
using WeightShare.Jobs.Data;
using WeightShare.Jobs.Runs;

namespace WeightShare.Web.Api;

/// <summary>What the API and the pages read: every answer comes from the database, so a reload shows what a live page shows.</summary>
public sealed class RunQueries(IDbContextFactory<WeightShareDbContext> contexts, MetricRegistry metrics)
{
    public async Task<IReadOnlyList<ModelInfo>> ModelsAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var models = await db.Models.AsNoTracking().ToListAsync(cancellationToken);
        return models.OrderByDescending(m => m.CreatedAt).Select(ModelInfo.Of).ToArray();
    }

    public async Task<ModelInfo?> ModelAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var model = await db.Models.AsNoTracking().SingleOrDefaultAsync(m => m.Id == id, cancellationToken);
        return model is null ? null : ModelInfo.Of(model);
    }

    public async Task<IReadOnlyList<DatasetInfo>> DatasetsAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var datasets = await db.Datasets.AsNoTracking().ToListAsync(cancellationToken);
        return datasets.OrderByDescending(d => d.CreatedAt).Select(DatasetInfo.Of).ToArray();
    }

    public async Task<DatasetInfo?> DatasetAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var dataset = await db.Datasets.AsNoTracking().SingleOrDefaultAsync(d => d.Id == id, cancellationToken);
        return dataset is null ? null : DatasetInfo.Of(dataset);
    }

    /// <summary>Every run, newest first, each with its recommended solution as <see cref="RunAsync"/> gives it.</summary>
    public async Task<IReadOnlyList<RunInfo>> RunsAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        // SQLite cannot order by DateTime in SQL through EF's text mapping reliably; ids are time-ordered too.
        var runs = await db.Runs.AsNoTracking().Include(r => r.Solutions).ToListAsync(cancellationToken);
        return runs.OrderByDescending(r => r.CreatedAt).ThenByDescending(r => r.Id, StringComparer.Ordinal)
            .Select(r => RunInfo.Of(r) with { RecommendedSolutionId = RecommendedId(r, r.Solutions.ToList()) })
            .ToArray();
    }

    /// <summary>The runs page's lines, newest first.</summary>
    public async Task<IReadOnlyList<RunSummary>> RunSummariesAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var runs = await db.Runs.AsNoTracking().Include(r => r.Model).Include(r => r.Dataset).Include(r => r.Solutions).ToListAsync(cancellationToken);
        return runs
            .OrderByDescending(r => r.CreatedAt).ThenByDescending(r => r.Id, StringComparer.Ordinal)
            .Select(r => new RunSummary(RunInfo.Of(r), r.Model?.FileName ?? "", r.Dataset?.FileName ?? (r.DatasetId == null ? "none (data-free)" : ""), RecommendedRatio(r)))
            .ToArray();
    }

    public async Task<RunInfo?> RunAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var run = await db.Runs.AsNoTracking().SingleOrDefaultAsync(r => r.Id == id, cancellationToken);
        if (run is null)
        {
            return null;
        }
        var solutions = await db.Solutions.AsNoTracking().Where(s => s.RunId == id).ToListAsync(cancellationToken);
        return RunInfo.Of(run) with { RecommendedSolutionId = RecommendedId(run, solutions) };
    }

    /// <summary>The run's committed generations in order, or null for an unknown run.</summary>
    public async Task<IReadOnlyList<GenerationInfo>?> GenerationsAsync(string runId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        if (!await db.Runs.AnyAsync(r => r.Id == runId, cancellationToken))
        {
            return null;
        }
        var rows = await db.Generations.AsNoTracking().Where(g => g.RunId == runId).OrderBy(g => g.Number).ToListAsync(cancellationToken);
        return rows.Select(GenerationInfo.Of).ToArray();
    }

    /// <summary>The run's committed generations numbered above <paramref name="after"/>, in order (none for an unknown run).</summary>
    public async Task<IReadOnlyList<GenerationInfo>> GenerationsAfterAsync(string runId, int after, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rows = await db.Generations.AsNoTracking().Where(g => g.RunId == runId && g.Number > after).OrderBy(g => g.Number).ToListAsync(cancellationToken);
        return rows.Select(GenerationInfo.Of).ToArray();
    }

    /// <summary>The run's final front in order of shared values, or null for an unknown run.</summary>
    public async Task<IReadOnlyList<SolutionInfo>?> SolutionsAsync(string runId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        if (!await db.Runs.AnyAsync(r => r.Id == runId, cancellationToken))
        {
            return null;
        }
        var rows = await db.Solutions.AsNoTracking().Where(s => s.RunId == runId).ToListAsync(cancellationToken);
        var run = await db.Runs.Where(r => r.Id == runId).Select(r => new { r.SettingsJson, Classes = (int?)r.Dataset!.Classes }).SingleAsync(cancellationToken);
        var settings = RunSettings.FromJson(run.SettingsJson);
        var bytes = settings.Objective == SizeObjective.Bytes;
        // A run that minimised bytes lists its solutions by file size once they are written.
        var ordered = bytes && rows.All(s => s.CompressedBytes is not null)
            ? rows.OrderBy(s => s.CompressedBytes).ThenBy(s => s.ParametersJson, StringComparer.Ordinal)
            : rows.OrderBy(s => s.SharedValues).ThenBy(s => Genes(s.ParametersJson), GeneOrder.Instance);
        var decibels = metrics.Named(settings.Metric).IsDecibels;
        var solutions = ordered.Select(SolutionInfo.Of).Select(s => decibels ? s.WithDecibels() : s).ToArray();
        var marked = SolutionInfo.MarkRecommended(SolutionInfo.MarkDominated(solutions), Recommendation.Tolerance(settings.Calibration.TargetLoss));
        // Chance level is a classifier's: not for runs in dB.
        return SolutionInfo.MarkChanceLevel(marked, decibels ? 0 : run.Classes ?? 0);
    }

    /// <summary>A solution's stored output: the compressed file or the checkpoint; null when unknown or not written yet.</summary>
    public async Task<StoredFile?> SolutionFileAsync(string solutionId, bool compressed, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var solution = await db.Solutions.AsNoTracking().Include(s => s.CompressedFile).Include(s => s.CheckpointFile)
            .SingleOrDefaultAsync(s => s.Id == solutionId, cancellationToken);
        return compressed ? solution?.CompressedFile : solution?.CheckpointFile;
    }

    public async Task<bool> SolutionExistsAsync(string solutionId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Solutions.AnyAsync(s => s.Id == solutionId, cancellationToken);
    }

    // The genes' values in the codec's order, as the stored JSON lists them: k = 9 before k = 10.
    private static int[] Genes(string parametersJson) =>
        JsonSerializer.Deserialize<Dictionary<string, int>>(parametersJson)?.Values.ToArray() ?? [];

    /// <summary>The run's recommended solution (<see cref="Recommendation"/>), chosen on validation intervals alone.</summary>
    private static string? RecommendedId(Run run, IReadOnlyList<Solution> solutions)
    {
        var tolerance = Recommendation.Tolerance(RunSettings.FromJson(run.SettingsJson).Calibration.TargetLoss);
        return SolutionInfo.MarkRecommended(solutions.Select(SolutionInfo.Of).ToArray(), tolerance).FirstOrDefault(s => s.Recommended)?.Id;
    }

    // The recommended solution's file ratio; none where no solution qualifies (runs in dB pair no outcomes).
    private static double? RecommendedRatio(Run run)
    {
        var id = RecommendedId(run, run.Solutions.ToList());
        return run.Solutions.FirstOrDefault(s => s.Id == id)?.FileCompressionRatio;
    }
}
