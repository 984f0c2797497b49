using System.Diagnostics;
using System.Globalization;
using WeightShare.Engine.Codecs;
using WeightShare.Engine.Compression;
using WeightShare.Engine.Evaluation;
using WeightShare.Engine.Metrics;
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
    // A merge step is one evaluation; a refined point takes a handful before the metric drops.
    private const double MergeEvaluationsPerPoint = 5;

    private readonly CompressionSession _session;
    private readonly IRunStore _store;
    private readonly IProgress<PipelineProgress>? _progress;
    private readonly Dictionary<string, int> _sharedValues = new(StringComparer.Ordinal);
    private readonly RunEstimate _estimate;
    private SearchFocus _focus = SearchFocus.None;
    private SearchRacing? _racing;
    private double _reported;
    private double _saved;

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
        _estimate = NewEstimate(session);
    }

    private static RunEstimate NewEstimate(CompressionSession session)
    {
        var options = session.Options;
        var space = Nsga2.SpaceSize([.. session.Genes.Select(g => g.Min)], [.. session.Genes.Select(g => g.Max)]);
        // Calibrating a point costs its steps' forward and backward passes (about three forward passes per sample). Without
        // calibration only the paper codec refines (it merges bins); the others' refinement is their calibration.
        var calibrationEvaluations = 1 + (3.0 * options.Calibration.Steps * options.Calibration.BatchSize / Math.Max(1, session.ValidationCount));
        return session.Calibrating
            ? new RunEstimate(session.ValidationCount, session.TestCount, session.Population, options.Search.Generations, space, calibrationEvaluations, options.Calibration.Budget, session.Patience)
            : new RunEstimate(session.ValidationCount, session.TestCount, session.Population, options.Search.Generations, space, options.Merge.Enabled && !session.Codec.Defaults.Calibrates ? MergeEvaluationsPerPoint : 0, null, session.Patience);
    }

    private RunSettings Options => _session.Options;

    private IReadOnlyList<Gene> Genes => _session.Genes;

    /// <summary>
    /// Runs the run from where its store says it stands to the end. Cancellation stops it within one evaluation; what
    /// was committed stays, and a later call continues from there.
    /// </summary>
    /// <param name="cancellationToken">Stops the run; a later call continues it.</param>
    /// <param name="stopSearch">
    /// Ends the search early and keeps the run going ("Stop and keep"): within one evaluation once a generation has
    /// been stored (the first generation is always completed), the search's last stored generation is refined and
    /// finished as if the search had ended there.
    /// </param>
    public async Task RunAsync(CancellationToken cancellationToken, CancellationToken stopSearch = default)
    {
        var state = await _store.LoadAsync(cancellationToken).ConfigureAwait(false);
        _estimate.Resume(state.Spent, state.BaselineTime);
        var phase = state.Phase;
        var baseline = state.BaselineValidation is { } stored ? _session.Metric.ValueOf(stored) : (double?)null;
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
        if (_session.Racing)
        {
            var reach = _session.FrontRefinement.FocusesSearch ? FrontSelection.CalibrationReach : (double?)null;
            _racing = new SearchRacing(
                _session.ValidationCount,
                RacingRule.Chunk(_session.Options.BatchSize),
                reach,
                state.Racing,
                RacingRule.CandidateSamples(_session.ValidationCount, _session.Options.Search.CandidateSamples));
        }
        if (phase == PipelinePhase.Search)
        {
            last = await SearchAsync(last, baseline ?? throw new InvalidOperationException("The baseline is missing after the baseline phase."), cancellationToken, stopSearch).ConfigureAwait(false);
            phase = PipelinePhase.Refine;
        }
        if (phase == PipelinePhase.Refine)
        {
            var baselineMetric = baseline ?? throw new InvalidOperationException("The baseline is missing after the baseline phase.");
            var front = FullyMeasured(_focus.Decode(FrontSelection.Front(last ?? throw new InvalidOperationException("The search state is missing after the search phase."))), cancellationToken);
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
        Report(PipelinePhase.Baseline, _session.DataFree
            ? "Data-free run: the metric is the shared weights' signal-to-noise ratio against the uploaded ones (no data, no model run)"
            : Invariant($"Measuring the uploaded model on {_session.ValidationCount} validation and {_session.TestCount} test samples"));
        var baseline = _session.EvaluateBaseline(cancellationToken);
        _estimate.Baseline(clock.Elapsed);
        await _store.SaveBaselineAsync(baseline, new StepProgress(clock.Elapsed, Fraction())).ConfigureAwait(false);
        Report(PipelinePhase.Baseline, _session.DataFree
            ? Invariant($"Original weights: {WeightFidelity.MaxDecibels} dB (lossless) by definition")
            : Invariant($"Original model: validation {_session.Metric.ShortName} {_session.Metric.Format(_session.Metric.ValueOf(baseline.Validation))}"), phaseEnd: true);
        return _session.Metric.ValueOf(baseline.Validation);
    }

    private async Task<Nsga2State> SearchAsync(Nsga2State? resumeFrom, double baselineMetric, CancellationToken cancellationToken, CancellationToken stopSearch)
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
        var generationNow = resumeFrom?.Generation ?? 0;
        if (resumeFrom is not null)
        {
            _estimate.Search(resumeFrom.Generation, resumeFrom.EvaluationsComputed, resumeFrom.Population.Count(m => m.Rank == 0), resumeFrom.BestHypervolume is null ? null : resumeFrom.StaleGenerations);
        }
        // "Stop and keep" cuts the search short only once a generation is stored: before that there is nothing to keep.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var stopping = stopSearch.Register(() =>
        {
            if (Volatile.Read(ref last) is not null)
            {
                stop.Cancel();
            }
        });
        Nsga2Result? result = null;
        try
        {
            result = await Nsga2.RunAsync(
            nsga,
            (genes, token) =>
            {
                var evaluation = Stopwatch.StartNew();
                var quantization = _session.Quantize(new SolutionPlan(genes));
                // The size is exact before any forward pass: racing measures against it.
                var size = bytes ? _session.FileBytes(quantization) : quantization.SharedValues;
                var metric = Measure(genes, quantization, size, baselineMetric, token, out var samples);
                _estimate.Evaluated(evaluation.Elapsed, samples);
                _sharedValues[Key(genes)] = quantization.SharedValues;
                return ValueTask.FromResult(_focus.Encode(metric, size));
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
                    Points(report.Front))
                {
                    RacedEvaluations = _racing?.Raced ?? 0,
                    ValidationSamples = _racing?.Samples ?? ((long)report.EvaluationsComputed * _session.ValidationCount),
                    Racing = _racing?.Evaluations ?? [],
                };
                generationNow = report.Generation;
                _estimate.Search(report.Generation, report.EvaluationsComputed, report.Front.Count, report.Hypervolume is null ? null : state.StaleGenerations);
                var lap = Lap(clock);
                _estimate.Generated(lap);
                await _store.SaveGenerationAsync(generation, state, new StepProgress(lap, Fraction())).ConfigureAwait(false);
                // A full fence: the stop callback on another thread must see this state before this thread reads the stop.
                Interlocked.Exchange(ref last, state);
                if (stopSearch.IsCancellationRequested)
                {
                    await stop.CancelAsync().ConfigureAwait(false);
                }
                Report(PipelinePhase.Search, Invariant($"Generation {report.Generation} of {search.Generations}"));
            },
            resumeFrom,
            stop.Token,
            (done, total) =>
            {
                _estimate.Within(done, total);
                Report(PipelinePhase.Search, Invariant($"Generation {generationNow + 1} of {search.Generations}: evaluation {done} of {total}"));
            }).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested && stopSearch.IsCancellationRequested && last is not null)
        {
            // Stopped by the user: the search ends at its last stored generation and the run goes on.
        }
        _estimate.SearchEnded();
        await _store.AdvanceAsync(PipelinePhase.Refine).ConfigureAwait(false);
        var ended = result is null
            ? Invariant($"Search stopped by request after generation {last!.Generation} of {search.Generations}; refining and finishing its front")
            : result.StoppedEarly
                ? Invariant($"Search stopped after generation {result.Generations} of {search.Generations}: the hypervolume did not grow for {_session.Patience} generations")
                : "Search done";
        if (_racing is { } racing)
        {
            ended += Invariant($" ({racing.Raced} of {racing.Count} evaluations raced: {racing.Samples:N0} validation samples, {racing.Samples / Math.Max(1.0, (double)racing.Count * racing.ValidationCount):P0} of measuring each on all {racing.ValidationCount})");
        }
        Report(PipelinePhase.Search, ended, phaseEnd: true);
        return last ?? throw new InvalidOperationException("The search delivered no generation.");
    }

    /// <summary>
    /// The candidate's validation metric: measured on every sample, or with racing until it is behind (<see cref="RacingRule"/>),
    /// when it is the baseline's minus its paired loss on the samples measured (the less noisy figure of the two).
    /// </summary>
    private double Measure(int[] genes, Quantization quantization, long size, double baselineMetric, CancellationToken cancellationToken, out int samples)
    {
        if (_racing is not { } racing)
        {
            samples = _session.ValidationCount;
            return _session.Metric.ValueOf(_session.Evaluate(quantization, cancellationToken));
        }
        var result = _session.Evaluate(quantization, racing.Chunk, soFar => racing.Stops(soFar, size), cancellationToken);
        var evaluation = racing.Record(genes, size, result);
        samples = evaluation.Samples;
        return evaluation.Samples >= racing.ValidationCount ? _session.Metric.ValueOf(result) : baselineMetric - evaluation.Loss.Loss;
    }

    /// <summary>
    /// The front with every point the search measured on fewer samples than the split measured on all of them: the
    /// points it measured on its candidates' share (<see cref="SearchRacing.CandidateSamples"/>), and any point racing
    /// stopped early (dominated by a known point, it only reaches the front when crowding dropped that one). Measured
    /// in full, a point keeps its place or leaves the front to the points it no longer dominates.
    /// </summary>
    private IReadOnlyList<Individual> FullyMeasured(IReadOnlyList<Individual> front, CancellationToken cancellationToken)
    {
        if (_racing is not { } racing)
        {
            return front;
        }
        bool Partly(Individual point) => racing.SamplesOf(point.X) is { } used && used < racing.ValidationCount;
        var partial = front.Count(Partly);
        if (partial == 0)
        {
            return front;
        }
        Report(PipelinePhase.Refine, Invariant($"Measuring {partial} of the front's {front.Count} points on all {racing.ValidationCount} validation samples (the search measured them on fewer)"));
        var measured = front.Select(p => Partly(p)
                ? new Individual(p.X, [1 - _session.Metric.ValueOf(_session.MeasureWholeValidation(new SolutionPlan(p.X), cancellationToken)), p.F[1]])
                : p)
            .ToList();
        return measured.Where(p => !measured.Any(q => ParetoRanking.Dominates(q.F, p.F))).ToList();
    }

    private async Task RefineAsync(IReadOnlyList<Individual> front, double baselineMetric, List<StoredSolution> solutions, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var refinement = _session.FrontRefinement;
        var calibrates = _session.Calibrating;
        var total = refinement.MostChosen(front, baselineMetric, Options);
        _estimate.RefineStarts(total, solutions.Count);
        var done = solutions.Count;
        var calibrated = 0;
        async Task<StoredSolution> ChooseAsync(Individual point, bool refine)
        {
            if (solutions.FirstOrDefault(s => s.Solution.Plan.Genes.SequenceEqual(point.X)) is { } stored)
            {
                return stored;
            }
            var lap = Stopwatch.StartNew();
            var plan = new SolutionPlan(point.X);
            var parameters = plan.Parameters(Genes);
            var metric = 1 - point.F[0];
            LossInterval? loss = null;
            if (refine)
            {
                // A calibrating codec calibrates at most its budget of points; a merging one refines front points in turn.
                var which = calibrates ? Invariant($"{_session.Codec.CalibrationName} {++calibrated} of at most {Options.Calibration.Budget}") : Invariant($"point {done + 1} of at most {total}");
                var steps = new SyncProgress<RefineStep>(step => Report(
                    PipelinePhase.Refine,
                    Invariant($"Refining {Label(parameters)} ({which}): {step.SharedValues} shared values at {step.ValidationMetric:P2}"),
                    refine: new RefineProgress(parameters, step)));
                var status = new SyncProgress<string>(line => Report(PipelinePhase.Refine, Invariant($"Refining {Label(parameters)} ({which}): {line}")));
                // Every calibration step prices the steps left, so the progress moves through a long calibration.
                var calibrationSteps = new SyncProgress<int>(step =>
                {
                    _estimate.Calibrating(step, Options.Calibration.Steps, lap.Elapsed);
                    Report(PipelinePhase.Refine, Invariant($"Refining {Label(parameters)} ({which}): {_session.Codec.CalibrationName} step {step} of {Options.Calibration.Steps}"));
                    // The store's progress (what the API reads) moves too, at most once per half a percentage point.
                    if (_reported >= _saved + 0.005)
                    {
                        _store.SaveProgress(_saved = _reported);
                    }
                });
                if (await _session.RefineAsync(plan, steps, cancellationToken, status, calibrationSteps).ConfigureAwait(false) is { } refinement)
                {
                    // Worse beyond the noise: the calibrated loss's lower end above the uncalibrated point's loss.
                    var worse = refinement.ValidationLoss is { } calibratedLoss
                        ? calibratedLoss.Lower > baselineMetric - metric
                        : refinement.ValidationMetric < metric;
                    if (calibrates && worse)
                    {
                        // A calibration that made the point worse on validation (one that diverged, or overshot) is not
                        // offered: the point stays as the search measured it, with its own interval for the bisection.
                        status.Report(Invariant($"calibration lowered validation from {metric:P2} to {refinement.ValidationMetric:P2}: the point is kept uncalibrated"));
                        loss = _session.MeasureWholeValidation(plan, cancellationToken).Loss;
                    }
                    else
                    {
                        (plan, metric, loss) = (refinement.Plan, refinement.ValidationMetric, refinement.ValidationLoss);
                    }
                }
            }
            var quantization = _session.Quantize(plan);
            var planned = new PlannedSolution(plan, parameters, quantization.SharedValues, metric, quantization.Description) { ValidationLoss = loss };
            done++;
            _estimate.Refined(lap.Elapsed);
            await _store.SavePlanAsync(planned, new StepProgress(Lap(clock), Fraction())).ConfigureAwait(false);
            var saved = new StoredSolution(planned, Finished: false);
            solutions.Add(saved);
            Report(PipelinePhase.Refine, Invariant($"Chose {planned.Description}"));
            return saved;
        }

        await refinement.ChooseAsync(front, baselineMetric, Options, async (point, refine) => (await ChooseAsync(point, refine).ConfigureAwait(false)).Solution).ConfigureAwait(false);
        await _store.AdvanceAsync(PipelinePhase.Finish).ConfigureAwait(false);
        Report(PipelinePhase.Refine, Invariant($"Front chosen: {solutions.Count} solutions to measure on the test split and write"), phaseEnd: true);
    }

    private async Task FinishAsync(List<StoredSolution> solutions, CancellationToken cancellationToken)
    {
        var ordered = solutions.OrderBy(s => s.Solution.Plan.Genes, GeneOrder.Instance).ToList();
        var finished = ordered.Count(s => s.Finished);
        _estimate.FinishStarts(ordered.Count, finished);
        var clock = Stopwatch.StartNew();
        var stem = Path.GetFileNameWithoutExtension(_session.ModelFileName);
        var extension = Path.GetExtension(_session.ModelFileName);
        foreach (var solution in ordered.Where(s => !s.Finished).Select(s => s.Solution))
        {
            var lap = Stopwatch.StartNew();
            Report(PipelinePhase.Finish, Invariant($"Solution {finished + 1} of {ordered.Count}: measuring {solution.Description} on the test split and writing its files"));
            var compressed = _store.NewScratchPath(".wsz");
            var checkpoint = _store.NewScratchPath(extension);
            try
            {
                var figures = _session.Finish(solution.Plan, compressed, checkpoint, cancellationToken);
                var name = $"{stem}-{FileLabel(solution.Parameters)}{(solution.Plan.IsRefined ? "-" + _session.Codec.RefinementLabel : "")}";
                var files = new SolutionFiles(compressed, name + ".wsz", checkpoint, name + extension);
                finished++;
                _estimate.Finished(lap.Elapsed);
                await _store.SaveFinishedAsync(new FinishedSolution(solution, figures, files), new StepProgress(Lap(clock), finished == ordered.Count ? 1 : Fraction())).ConfigureAwait(false);
                Report(PipelinePhase.Finish, Invariant($"Encoded {figures.Description} ({finished} of {ordered.Count})"));
            }
            finally
            {
                File.Delete(compressed);
                File.Delete(checkpoint);
            }
        }
        await _store.AdvanceAsync(PipelinePhase.Done).ConfigureAwait(false);
        _reported = 1;
        Report(PipelinePhase.Finish, "Done", phaseEnd: true);
    }

    private List<SearchPoint> Points(IReadOnlyList<Individual> individuals) => _focus.Decode(individuals)
        .Select(i => _session.Objective == SizeObjective.Bytes
            ? new SearchPoint(i.X, new SolutionPlan(i.X).Parameters(Genes), SharedValuesOf(i.X), 1 - i.F[0], (long)i.F[1]) { ValidationSamples = SamplesOf(i.X) }
            : new SearchPoint(i.X, new SolutionPlan(i.X).Parameters(Genes), (int)i.F[1], 1 - i.F[0]) { ValidationSamples = SamplesOf(i.X) })
        .ToList();

    private int? SamplesOf(int[] genes) => _racing?.SamplesOf(genes) ?? (_session.DataFree ? null : _session.ValidationCount);

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

    /// <summary>The run's progress by measured cost; it never steps back, though the estimate behind it may grow.</summary>
    private double Fraction(TimeSpan? remaining = null) =>
        _reported = Math.Max(_reported, Math.Min(0.999, _estimate.Fraction(remaining ?? _estimate.Remaining()) ?? 0));

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

    private void Report(PipelinePhase phase, string message, bool phaseEnd = false, RefineProgress? refine = null)
    {
        var remaining = _reported >= 1 ? TimeSpan.Zero : _estimate.Remaining();
        var fraction = _reported >= 1 ? 1 : Fraction(remaining);
        _progress?.Report(new PipelineProgress(phase, fraction, message, phaseEnd, refine) { Remaining = remaining });
    }

    private static TimeSpan Lap(Stopwatch clock)
    {
        var elapsed = clock.Elapsed;
        clock.Restart();
        return elapsed;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
