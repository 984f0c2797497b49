using System.Diagnostics;
using System.Globalization;
using WeightShare.Engine.Codecs;
using WeightShare.Engine.Compression;
using WeightShare.Engine.Search;

namespace WeightShare.Engine.Pipeline;

/// <summary>
/// The one driver of a compression run, for every codec and every host: baseline, search, refine, finish, in that
/// order, each step committed to the <see cref="IRunStore"/> before the next starts, so a run resumes where it stood.
/// It owns which front points are refined and finished (<see cref="FrontSelection"/>), the decoding of objective
/// vectors, output names and phase timings; the codec owns what a solution is.
/// </summary>
public sealed class CompressionPipeline
{
    // Shares of the whole run's progress bar; the search dominates the time of the paper's settings.
    private const double BaselineShare = 0.05;
    private const double SearchShare = 0.80;
    private const double RefineShare = 0.10;

    private readonly CompressionSession _session;
    private readonly IRunStore _store;
    private readonly IProgress<PipelineProgress>? _progress;
    private double _reported;

    /// <summary>A pipeline over an open session, persisting to <paramref name="store"/>.</summary>
    /// <param name="session">The model, data and codec of the run.</param>
    /// <param name="store">Where every step is committed and where an earlier attempt is resumed from.</param>
    /// <param name="progress">Told of progress synchronously, in order, after each commit (and of every refinement step).</param>
    public CompressionPipeline(CompressionSession session, IRunStore store, IProgress<PipelineProgress>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(store);
        _session = session;
        _store = store;
        _progress = progress;
    }

    private CompressionOptions Options => _session.Options;

    private IReadOnlyList<Gene> Genes => _session.Genes;

    /// <summary>
    /// Runs the run from where its store says it stands to the end. Cancellation stops it within one evaluation; what
    /// was committed stays, and a later call continues from there.
    /// </summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var state = await _store.LoadAsync(cancellationToken).ConfigureAwait(false);
        var phase = state.Phase;
        var baseline = state.BaselineValidation?.Of(Options.Metric);
        var last = state.LastGeneration;
        var solutions = state.Solutions.ToList();

        if (phase == PipelinePhase.Baseline)
        {
            baseline = await BaselineAsync(cancellationToken).ConfigureAwait(false);
            phase = PipelinePhase.Search;
        }
        if (phase == PipelinePhase.Search)
        {
            last = await SearchAsync(last, cancellationToken).ConfigureAwait(false);
            phase = PipelinePhase.Refine;
        }
        if (phase == PipelinePhase.Refine)
        {
            var front = FrontSelection.Front(last ?? throw new InvalidOperationException("The search state is missing after the search phase."));
            var baselineMetric = baseline ?? throw new InvalidOperationException("The baseline is missing after the baseline phase.");
            await RefineAsync(front, baselineMetric, solutions, cancellationToken).ConfigureAwait(false);
            phase = PipelinePhase.Finish;
        }
        if (phase == PipelinePhase.Finish)
        {
            await FinishAsync(solutions, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<double> BaselineAsync(CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var baseline = _session.EvaluateBaseline(cancellationToken);
        await _store.SaveBaselineAsync(baseline, new StepProgress(clock.Elapsed, BaselineShare)).ConfigureAwait(false);
        Report(PipelinePhase.Baseline, BaselineShare, Invariant($"Original model: validation accuracy {baseline.Validation.Accuracy:P2}"), phaseEnd: true);
        return baseline.Validation.Of(Options.Metric);
    }

    private async Task<Nsga2State> SearchAsync(Nsga2State? resumeFrom, CancellationToken cancellationToken)
    {
        var search = Options.Search;
        var nsga = new Nsga2Options(Genes.Select(g => g.Min).ToArray(), Genes.Select(g => g.Max).ToArray())
        {
            Population = search.Population,
            Generations = search.Generations,
            Seed = search.Seed,
            HypervolumeReference = [1.0, _session.Codec.MaxSharedValues(Genes)],
        };
        var last = resumeFrom;
        var clock = Stopwatch.StartNew();
        await Nsga2.RunAsync(
            nsga,
            (genes, token) =>
            {
                var quantization = _session.Quantize(new SolutionPlan(genes));
                var metric = _session.Evaluate(quantization, token).Of(Options.Metric);
                return ValueTask.FromResult(new[] { 1 - metric, quantization.SharedValues });
            },
            async (report, state, _) =>
            {
                var generation = new SearchGeneration(
                    report.Generation,
                    search.Generations,
                    report.Hypervolume,
                    report.EvaluationsComputed,
                    report.CacheHits,
                    Points(report.Population),
                    Points(report.Front));
                var progress = At(BaselineShare, SearchShare, report.Generation, search.Generations);
                await _store.SaveGenerationAsync(generation, state, new StepProgress(Lap(clock), progress)).ConfigureAwait(false);
                last = state;
                Report(PipelinePhase.Search, progress, Invariant($"Generation {report.Generation} of {search.Generations}"));
            },
            resumeFrom,
            cancellationToken).ConfigureAwait(false);
        await _store.AdvanceAsync(PipelinePhase.Refine).ConfigureAwait(false);
        Report(PipelinePhase.Search, BaselineShare + SearchShare, "Search done", phaseEnd: true);
        return last ?? throw new InvalidOperationException("The search delivered no generation.");
    }

    private async Task RefineAsync(IReadOnlyList<Individual> front, double baselineMetric, List<StoredSolution> solutions, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        foreach (var point in front)
        {
            if (solutions.Any(s => s.Solution.Plan.Genes.SequenceEqual(point.X)))
            {
                continue;
            }
            var plan = new SolutionPlan(point.X);
            var parameters = plan.Parameters(Genes);
            var metric = 1 - point.F[0];
            if (Options.Merge.Enabled && FrontSelection.IsRefined(point, baselineMetric))
            {
                var steps = new SyncProgress<RefineStep>(step => Report(
                    PipelinePhase.Refine,
                    RefineProgressAt(solutions.Count, front.Count),
                    Invariant($"Refining {Label(parameters)}: {step.SharedValues} shared values at {step.ValidationMetric:P2}"),
                    refine: new RefineProgress(parameters, step)));
                if (await _session.RefineAsync(plan, steps, cancellationToken).ConfigureAwait(false) is { } refinement)
                {
                    (plan, metric) = (refinement.Plan, refinement.ValidationMetric);
                }
            }
            var quantization = _session.Quantize(plan);
            var planned = new PlannedSolution(plan, parameters, quantization.SharedValues, metric, quantization.Description);
            var progress = RefineProgressAt(solutions.Count + 1, front.Count);
            await _store.SavePlanAsync(planned, new StepProgress(Lap(clock), progress)).ConfigureAwait(false);
            solutions.Add(new StoredSolution(planned, Finished: false));
            Report(PipelinePhase.Refine, progress, Invariant($"Chose {planned.Description}"));
        }
        await _store.AdvanceAsync(PipelinePhase.Finish).ConfigureAwait(false);
        Report(PipelinePhase.Refine, BaselineShare + SearchShare + RefineShare, "Front chosen", phaseEnd: true);
    }

    private async Task FinishAsync(List<StoredSolution> solutions, CancellationToken cancellationToken)
    {
        var ordered = solutions.OrderBy(s => s.Solution.Plan.Genes, GeneOrder.Instance).ToList();
        var finished = ordered.Count(s => s.Finished);
        var clock = Stopwatch.StartNew();
        var stem = Path.GetFileNameWithoutExtension(_session.ModelFileName);
        var extension = Path.GetExtension(_session.ModelFileName);
        foreach (var solution in ordered.Where(s => !s.Finished).Select(s => s.Solution))
        {
            var compressed = _store.NewScratchPath(".wsz");
            var checkpoint = _store.NewScratchPath(extension);
            try
            {
                var figures = _session.Finish(solution.Plan, compressed, checkpoint, cancellationToken);
                var name = $"{stem}-{Label(solution.Parameters)}{(solution.Plan.IsRefined ? "-" + _session.Codec.RefinementLabel : "")}";
                var files = new SolutionFiles(compressed, name + ".wsz", checkpoint, name + extension);
                var progress = At(BaselineShare + SearchShare + RefineShare, 1 - BaselineShare - SearchShare - RefineShare, ++finished, ordered.Count);
                await _store.SaveFinishedAsync(new FinishedSolution(solution, figures, files), new StepProgress(Lap(clock), progress)).ConfigureAwait(false);
                Report(PipelinePhase.Finish, progress, Invariant($"Encoded {figures.Description}"));
            }
            finally
            {
                File.Delete(compressed);
                File.Delete(checkpoint);
            }
        }
        await _store.AdvanceAsync(PipelinePhase.Done).ConfigureAwait(false);
        Report(PipelinePhase.Finish, 1, "Done", phaseEnd: true);
    }

    private List<SearchPoint> Points(IReadOnlyList<Individual> individuals) => individuals
        .Select(i => new SearchPoint(i.X, new SolutionPlan(i.X).Parameters(Genes), (int)i.F[1], 1 - i.F[0]))
        .ToList();

    private static double RefineProgressAt(int done, int total) => At(BaselineShare + SearchShare, RefineShare, done, total);

    /// <summary>Progress <paramref name="done"/> of <paramref name="total"/> steps into a phase that starts at <paramref name="start"/>.</summary>
    private static double At(double start, double share, int done, int total) => start + (share * ((double)done / Math.Max(1, total)));

    /// <summary>The genes as a file-name part: <c>k19</c>, or <c>bits4-group2</c> for several.</summary>
    private static string Label(IReadOnlyDictionary<string, int> parameters) =>
        string.Join("-", parameters.Select(p => p.Key + p.Value.ToString(CultureInfo.InvariantCulture)));

    private void Report(PipelinePhase phase, double fraction, string message, bool phaseEnd = false, RefineProgress? refine = null)
    {
        // Shares are added in different orders at phase ends; rounding must never make the bar step back.
        _reported = Math.Max(_reported, Math.Min(1, fraction));
        _progress?.Report(new PipelineProgress(phase, _reported, message, phaseEnd, refine));
    }

    private static TimeSpan Lap(Stopwatch clock)
    {
        var elapsed = clock.Elapsed;
        clock.Restart();
        return elapsed;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
