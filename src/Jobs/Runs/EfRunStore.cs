using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using WeightShare.Engine.Codecs;
using WeightShare.Engine.Compression;
using WeightShare.Engine.Evaluation;
using WeightShare.Engine.Metrics;
using WeightShare.Engine.Pipeline;
using WeightShare.Engine.Search;
using WeightShare.Jobs.Data;
using WeightShare.Jobs.Events;
using WeightShare.Jobs.Storage;

namespace WeightShare.Jobs.Runs;

/// <summary>
/// The pipeline's store over the product's database and file store: each save commits the run row with what it
/// adds, then tells listeners. Saves commit whatever the run's cancellation says, so a half-written step cannot exist.
/// </summary>
internal sealed class EfRunStore(
    WeightShareDbContext db,
    Run run,
    RunSettings settings,
    IReadOnlyList<Gene> genes,
    string codec,
    FileStore files,
    RunEventSender events) : IRunStore
{
    private const int SqliteConstraint = 19;
    private const int SqliteConstraintUnique = 2067;

    public async Task<RunState> LoadAsync(CancellationToken cancellationToken)
    {
        var last = await db.Generations.Where(g => g.RunId == run.Id).OrderByDescending(g => g.Number)
            .FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        var solutions = await db.Solutions.Where(s => s.RunId == run.Id).ToListAsync(cancellationToken).ConfigureAwait(false);
        var baseline = run.BaselineValidationAccuracy is { } accuracy
            ? new EvaluationResult(accuracy, run.BaselineValidationMacroF1 ?? double.NaN, settings.ValidationSamples ?? 0)
            : null;
        return new RunState(
            run.Phase,
            baseline,
            last is null ? null : JsonSerializer.Deserialize<Nsga2State>(last.StateJson, RunSettings.Json),
            solutions.Select(s => new StoredSolution(Planned(s), s.IsFinished)).ToList())
        {
            Spent = TimeSpan.FromSeconds(run.BaselineSeconds + run.SearchSeconds + run.RefineSeconds + run.FinishSeconds),
            BaselineTime = TimeSpan.FromSeconds(run.BaselineSeconds),
            Racing = last?.RacingJson is { } racing ? JsonSerializer.Deserialize<SampledEvaluation[]>(racing, RunSettings.Json) ?? [] : [],
        };
    }

    public async Task SaveBaselineAsync(BaselineFigures baseline, StepProgress progress)
    {
        run.BaselineValidationAccuracy = baseline.Validation.Accuracy;
        run.BaselineValidationMacroF1 = baseline.Validation.MacroF1;
        run.BaselineTestAccuracy = baseline.Test.Accuracy;
        run.BaselineTestMacroF1 = baseline.Test.MacroF1;
        run.BaselineSizeBytes = baseline.SizeBytes;
        run.BaselineSeconds += progress.Elapsed.TotalSeconds;
        run.Phase = PipelinePhase.Search;
        run.Progress = Math.Max(run.Progress, progress.Progress);
        await db.SaveChangesAsync(CancellationToken.None).ConfigureAwait(false);
    }

    public async Task SaveGenerationAsync(SearchGeneration generation, Nsga2State state, StepProgress progress)
    {
        var population = Points(generation.Population);
        var front = Points(generation.Front);
        db.Generations.Add(new Generation
        {
            RunId = run.Id,
            Number = generation.Generation,
            Hypervolume = generation.Hypervolume,
            Evaluations = generation.Evaluations,
            CacheHits = generation.CacheHits,
            RacedEvaluations = generation.RacedEvaluations,
            ValidationSamplesEvaluated = generation.ValidationSamples,
            RacingJson = generation.Racing.Count > 0 ? JsonSerializer.Serialize(generation.Racing, RunSettings.Json) : null,
            PopulationJson = JsonSerializer.Serialize(population, RunSettings.Json),
            FrontJson = JsonSerializer.Serialize(front, RunSettings.Json),
            StateJson = JsonSerializer.Serialize(state, RunSettings.Json),
        });
        run.Generation = generation.Generation;
        run.Evaluations = generation.Evaluations;
        run.CacheHits = generation.CacheHits;
        run.RacedEvaluations = generation.RacedEvaluations;
        run.ValidationSamplesEvaluated = generation.ValidationSamples;
        run.SearchSeconds += progress.Elapsed.TotalSeconds;
        run.Progress = Math.Max(run.Progress, progress.Progress);
        // The generation and its state commit together: a half-written one cannot exist.
        await SaveUniqueAsync().ConfigureAwait(false);
        await events.SendAsync(e => e.GenerationCompletedAsync(
            new GenerationCompleted(run.Id, generation.Generation, generation.Generations, generation.Hypervolume, generation.Evaluations, generation.CacheHits, population, front)
            {
                RacedEvaluations = generation.RacedEvaluations,
                ValidationSamplesEvaluated = generation.ValidationSamples,
            },
            CancellationToken.None)).ConfigureAwait(false);
    }

    public async Task SavePlanAsync(PlannedSolution solution, StepProgress progress)
    {
        db.Solutions.Add(new Solution
        {
            RunId = run.Id,
            Codec = codec,
            ParametersJson = solution.Plan.ParametersJson(genes),
            Description = solution.Description,
            SharedValues = solution.SharedValues,
            Merged = solution.Plan.IsRefined,
            RefinementJson = solution.Plan.Refinement,
            ValidationMetric = solution.ValidationMetric,
            ValidationAccuracy = solution.ValidationMetric,
            // A calibrated point's interval, as the bisection judged it: a resumed run's bisection must judge it alike.
            ValidationLoss = solution.ValidationLoss?.Loss,
            ValidationLossLower = solution.ValidationLoss?.Lower,
            ValidationLossUpper = solution.ValidationLoss?.Upper,
        });
        run.RefineSeconds += progress.Elapsed.TotalSeconds;
        run.Progress = Math.Max(run.Progress, progress.Progress);
        await SaveUniqueAsync().ConfigureAwait(false);
    }

    public async Task SaveFinishedAsync(FinishedSolution solution, StepProgress progress)
    {
        var key = solution.Solution.Plan.ParametersJson(genes);
        var row = await db.Solutions.SingleAsync(s => s.RunId == run.Id && s.ParametersJson == key).ConfigureAwait(false);
        using var compressed = await files.StageWrittenAsync(solution.Files.CompressedPath).ConfigureAwait(false);
        using var checkpoint = await files.StageWrittenAsync(solution.Files.CheckpointPath).ConfigureAwait(false);
        var figures = solution.Figures;
        row.CompressedFile = files.Commit(compressed, solution.Files.CompressedName);
        row.CheckpointFile = files.Commit(checkpoint, solution.Files.CheckpointName);
        row.SharedValues = figures.SharedValues;
        row.Description = figures.Description;
        row.ValidationMetric = figures.ValidationMetric;
        row.ValidationAccuracy = figures.ValidationAccuracy;
        row.TestAccuracy = figures.TestAccuracy;
        row.ValidationMacroF1 = figures.ValidationMacroF1;
        row.TestMacroF1 = figures.TestMacroF1;
        (row.ValidationLoss, row.ValidationLossLower, row.ValidationLossUpper) = (figures.ValidationLoss?.Loss, figures.ValidationLoss?.Lower, figures.ValidationLoss?.Upper);
        (row.TestLoss, row.TestLossLower, row.TestLossUpper) = (figures.TestLoss?.Loss, figures.TestLoss?.Lower, figures.TestLoss?.Upper);
        (row.ValidationInterval, row.ValidationIntervalLower, row.ValidationIntervalUpper) = (figures.ValidationInterval?.Value, figures.ValidationInterval?.Lower, figures.ValidationInterval?.Upper);
        (row.TestInterval, row.TestIntervalLower, row.TestIntervalUpper) = (figures.TestInterval?.Value, figures.TestInterval?.Lower, figures.TestInterval?.Upper);
        row.BitsPerWeight = figures.BitsPerWeight;
        row.CompressedBytes = figures.CompressedBytes;
        row.OriginalBytes = figures.OriginalBytes;
        row.FileCompressionRatio = figures.FileCompressionRatio;
        row.PaperCompressionRatio = figures.PaperCompressionRatio;
        run.FinishSeconds += progress.Elapsed.TotalSeconds;
        run.Progress = Math.Max(run.Progress, progress.Progress);
        await db.SaveChangesAsync(CancellationToken.None).ConfigureAwait(false);
    }

    public void SaveProgress(double progress)
    {
        run.Progress = Math.Max(run.Progress, progress);
        db.SaveChanges();
    }

    public async Task AdvanceAsync(PipelinePhase phase)
    {
        run.Phase = phase;
        await db.SaveChangesAsync(CancellationToken.None).ConfigureAwait(false);
    }

    public string NewScratchPath(string extension) => files.NewTemporaryPath(extension);

    private PlannedSolution Planned(Solution row)
    {
        var parameters = JsonSerializer.Deserialize<Dictionary<string, int>>(row.ParametersJson)
            ?? throw new InvalidOperationException($"Solution {row.Id} has no parameters.");
        var plan = new SolutionPlan(genes.Select(g => parameters.TryGetValue(g.Name, out var value)
            ? value
            : throw new InvalidOperationException($"Solution {row.Id} has no value for the gene '{g.Name}' of the {codec} codec.")).ToArray(), row.RefinementJson);
        return new PlannedSolution(plan, plan.Parameters(genes), row.SharedValues, row.ValidationMetric, row.Description)
        {
            ValidationLoss = row is { ValidationLoss: { } loss, ValidationLossLower: { } lower, ValidationLossUpper: { } upper } ? new LossInterval(loss, lower, upper) : null,
        };
    }

    /// <summary>Saves rows guarded by a unique index; a clash means a duplicate job got there first.</summary>
    private async Task SaveUniqueAsync()
    {
        try
        {
            await db.SaveChangesAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (DbUpdateException e) when (e.InnerException is SqliteException { SqliteErrorCode: SqliteConstraint, SqliteExtendedErrorCode: SqliteConstraintUnique }
            or Npgsql.PostgresException { SqlState: Npgsql.PostgresErrorCodes.UniqueViolation })
        {
            throw new RunTakenOverException(run.Id, e);
        }
    }

    private static FrontPoint[] Points(IReadOnlyList<SearchPoint> points) => points
        .Select(p => new FrontPoint(p.SharedValues, p.ValidationMetric)
        {
            Parameters = p.Parameters,
            ValidationMetric = p.ValidationMetric,
            Bytes = p.Bytes,
            ValidationSamplesUsed = p.ValidationSamples,
        })
        .ToArray();
}
