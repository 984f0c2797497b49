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
    private readonly Dictionary<string, int> _sharedValues = new(StringComparer.Ordinal);
    private SearchFocus _focus = SearchFocus.None;
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
        if (baseline is { } known)
        {
            _focus = SearchFocus.For(_session, known);
        }
        if (phase == PipelinePhase.Search)
        {
            last = await SearchAsync(last, baseline ?? throw new InvalidOperationException("The baseline is missing after the baseline phase."), cancellationToken).ConfigureAwait(false);
            phase = PipelinePhase.Refine;
        }
        if (phase == PipelinePhase.Refine)
        {
            var baselineMetric = baseline ?? throw new InvalidOperationException("The baseline is missing after the baseline phase.");
            var front = _focus.Decode(FrontSelection.Front(last ?? throw new InvalidOperationException("The search state is missing after the search phase.")));
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

    private async Task<Nsga2State> SearchAsync(Nsga2State? resumeFrom, double baselineMetric, CancellationToken cancellationToken)
    {
        var search = Options.Search;
        var bytes = _session.Objective == SizeObjective.Bytes;
        var nsga = new Nsga2Options(Genes.Select(g => g.Min).ToArray(), Genes.Select(g => g.Max).ToArray())
        {
            Population = _session.Population,
            Generations = search.Generations,
            Seed = search.Seed,
            // Bytes: no solution worth keeping is larger than the uploaded file.
            HypervolumeReference = [1.0, bytes ? new FileInfo(_session.ModelPath).Length : _session.Codec.MaxSharedValues(Genes)],
            Patience = _session.Patience,
        };
        var last = resumeFrom;
        var clock = Stopwatch.StartNew();
        var result = await Nsga2.RunAsync(
            nsga,
            (genes, token) =>
            {
                var quantization = _session.Quantize(new SolutionPlan(genes));
                var metric = _session.Evaluate(quantization, token).Of(Options.Metric);
                _sharedValues[Key(genes)] = quantization.SharedValues;
                return ValueTask.FromResult(_focus.Encode(metric, bytes ? _session.FileBytes(quantization) : quantization.SharedValues));
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
        Report(PipelinePhase.Search, BaselineShare + SearchShare, result.StoppedEarly
            ? Invariant($"Search stopped after generation {result.Generations} of {search.Generations}: the hypervolume did not grow for {_session.Patience} generations")
            : "Search done", phaseEnd: true);
        return last ?? throw new InvalidOperationException("The search delivered no generation.");
    }

    private async Task RefineAsync(IReadOnlyList<Individual> front, double baselineMetric, List<StoredSolution> solutions, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var done = solutions.Count;
        async Task<StoredSolution> ChooseAsync(Individual point, bool refine)
        {
            if (solutions.FirstOrDefault(s => s.Solution.Plan.Genes.SequenceEqual(point.X)) is { } stored)
            {
                return stored;
            }
            var plan = new SolutionPlan(point.X);
            var parameters = plan.Parameters(Genes);
            var metric = 1 - point.F[0];
            if (refine)
            {
                var steps = new SyncProgress<RefineStep>(step => Report(
                    PipelinePhase.Refine,
                    RefineProgressAt(done, front.Count),
                    Invariant($"Refining {Label(parameters)}: {step.SharedValues} shared values at {step.ValidationMetric:P2}"),
                    refine: new RefineProgress(parameters, step)));
                var status = new SyncProgress<string>(line => Report(PipelinePhase.Refine, RefineProgressAt(done, front.Count), $"Refining {Label(parameters)}: {line}"));
                if (await _session.RefineAsync(plan, steps, cancellationToken, status).ConfigureAwait(false) is { } refinement)
                {
                    (plan, metric) = (refinement.Plan, refinement.ValidationMetric);
                }
            }
            var quantization = _session.Quantize(plan);
            var planned = new PlannedSolution(plan, parameters, quantization.SharedValues, metric, quantization.Description);
            var progress = RefineProgressAt(++done, front.Count);
            await _store.SavePlanAsync(planned, new StepProgress(Lap(clock), progress)).ConfigureAwait(false);
            var saved = new StoredSolution(planned, Finished: false);
            solutions.Add(saved);
            Report(PipelinePhase.Refine, progress, Invariant($"Chose {planned.Description}"));
            return saved;
        }

        var calibrates = _session.Calibrating;
        if (calibrates)
        {
            // Calibration is costly: spend the budget on a search for the smallest front point that, calibrated,
            // keeps the validation metric within the target of the uploaded model's.
            var bySize = front.Where(p => 1 - p.F[0] >= baselineMetric - FrontSelection.CalibrationReach).OrderBy(p => p.F[1]).ThenBy(p => p.F[0]).ToList();
            var target = baselineMetric - Options.Calibration.TargetLoss;
            var (low, high) = (0, bySize.Count - 1);
            for (var spent = 0; spent < Options.Calibration.Budget && low <= high; spent++)
            {
                var middle = (low + high) / 2;
                var chosen = await ChooseAsync(bySize[middle], refine: true).ConfigureAwait(false);
                if (chosen.Solution.ValidationMetric >= target)
                {
                    high = middle - 1;
                }
                else
                {
                    low = middle + 1;
                }
            }
        }
        // A codec that calibrates offers, besides what it calibrated, only points a user could want: near the baseline.
        foreach (var point in front.Where(p => !calibrates || FrontSelection.IsOffered(p, baselineMetric)))
        {
            await ChooseAsync(point, refine: Options.Merge.Enabled && !_session.Codec.Defaults.Calibrates && FrontSelection.IsRefined(point, baselineMetric)).ConfigureAwait(false);
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
                var name = $"{stem}-{FileLabel(solution.Parameters)}{(solution.Plan.IsRefined ? "-" + _session.Codec.RefinementLabel : "")}";
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

    private List<SearchPoint> Points(IReadOnlyList<Individual> individuals) => _focus.Decode(individuals)
        .Select(i => _session.Objective == SizeObjective.Bytes
            ? new SearchPoint(i.X, new SolutionPlan(i.X).Parameters(Genes), SharedValuesOf(i.X), 1 - i.F[0], (long)i.F[1])
            : new SearchPoint(i.X, new SolutionPlan(i.X).Parameters(Genes), (int)i.F[1], 1 - i.F[0]))
        .ToList();

    // Remembered from the evaluation; after a resume, quantized again (no model pass needed).
    private int SharedValuesOf(int[] genes)
    {
        var key = Key(genes);
        if (!_sharedValues.TryGetValue(key, out var values))
        {
            values = _sharedValues[key] = _session.Quantize(new SolutionPlan(genes)).SharedValues;
        }
        return values;
    }

    private static string Key(IReadOnlyList<int> genes) => string.Join(',', genes);

    private static double RefineProgressAt(int done, int total) => At(BaselineShare + SearchShare, RefineShare, done, total);

    /// <summary>Progress <paramref name="done"/> of <paramref name="total"/> steps into a phase that starts at <paramref name="start"/>.</summary>
    private static double At(double start, double share, int done, int total) => start + (share * ((double)done / Math.Max(1, total)));

    /// <summary>
    /// The genes as a file-name part: the first always, the others where they differ from their lower bound
    /// (<c>k19</c>; <c>k16-zero1-fine3x2</c>), which keeps names short and still tells solutions apart.
    /// </summary>
    private string FileLabel(IReadOnlyDictionary<string, int> parameters) =>
        string.Join("-", Genes.Select((gene, i) => (gene, value: parameters[gene.Name], i))
            .Where(g => g.i == 0 || g.value != g.gene.Min)
            .Select(g => g.gene.Name + g.value.ToString(CultureInfo.InvariantCulture)));

    /// <summary>The genes as people read them in progress lines: <c>k19</c>, or <c>bits4-group2</c> for several.</summary>
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
