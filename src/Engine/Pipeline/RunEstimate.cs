using System.Diagnostics;

namespace WeightShare.Engine.Pipeline;

/// <summary>
/// The time a run still needs, from what it has measured on this machine and model. Everything is priced in
/// validation evaluations: their cost comes from the baseline (which measured both splits) and then from the search's
/// own average; the search's remaining generations use the share of offspring the cache did not answer; refinement and
/// finishing are priced from their own timed steps once they have any, and from evaluations until then; a calibration
/// in flight is priced by its own steps. The progress bar is elapsed / (elapsed + remaining), so each phase weighs what
/// it costs, not a fixed share.
/// </summary>
/// <remarks>
/// With an early stop (<paramref name="patience"/> flat generations end the search) the search is priced to the
/// generation it is expected to stop at, not to its budget: hypervolume growths are treated like records in a random
/// sequence, so generation t grows with probability rate / t, the rate learned from the generations seen so far, and
/// the expected last generation follows from the flat generations it already has. Until it has seen a generation
/// grow or stay flat (generation 2), the search is priced to its budget, which is then an upper bound.
/// </remarks>
internal sealed class RunEstimate(
    int validationSamples,
    int testSamples,
    int population,
    int generations,
    long spaceSize,
    double refineEvaluationsPerPoint,
    int? refinePointsCap,
    int patience = 0)
{
    // Before the search has a front: how many points it is assumed to keep (a typical small front).
    private const int AssumedFront = 10;

    // The growth rate a search is assumed to start with (1.5 growths by generation 4), weighed as one generation's
    // evidence; a resumed search, which has lost its history, leans on it until it has its own.
    private const double PriorRate = 2;
    private const double PriorWeight = 0.5;

    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private TimeSpan _spentBefore;
    private double _generationSeconds;
    private double _generationEvaluationSeconds;
    private int _generationsTimed;
    private double _evaluationSeconds;

    // The last evaluations' durations, whose median prices the ones to come, and the samples each measured.
    private const int RecentEvaluations = 25;
    private readonly Queue<(double Seconds, int Samples)> _recentEvaluations = new();
    private double _baselineEvaluationSeconds = double.NaN;
    private int _generation;
    private int _computed;
    private double _withinGeneration;
    private int _frontSize = -1;
    private int _refineTotal = -1;
    private int _refineDone;
    private int _refineTimed;
    private double _refineSeconds;
    private int _finishTotal = -1;
    private int _finishDone;
    private int _finishTimed;
    private double _finishSeconds;
    private int? _stale;
    private int _growths;
    private double _harmonic;
    private double _expectedLast = generations;
    private int _calibrationStep;
    private int _calibrationSteps;
    private double _calibrationSeconds;

    /// <summary>Wall time spent on the run so far: earlier attempts' and this one's.</summary>
    public TimeSpan Elapsed => _spentBefore + _clock.Elapsed;

    /// <summary>A resumed run: earlier attempts spent <paramref name="spent"/>, the baseline of which took <paramref name="baseline"/>.</summary>
    public void Resume(TimeSpan spent, TimeSpan baseline)
    {
        _spentBefore = spent;
        if (baseline > TimeSpan.Zero)
        {
            Baseline(baseline);
        }
    }

    /// <summary>
    /// The baseline measured both splits in <paramref name="elapsed"/>: the first price of an evaluation. A data-free
    /// run's baseline measures nothing (no samples), so it sets no price: the search's own evaluations do.
    /// </summary>
    public void Baseline(TimeSpan elapsed)
    {
        if (validationSamples > 0)
        {
            _baselineEvaluationSeconds = elapsed.TotalSeconds * validationSamples / (validationSamples + testSamples);
        }
    }

    /// <summary>
    /// One search evaluation took <paramref name="elapsed"/> and measured <paramref name="samples"/> validation samples
    /// (racing stops most candidates early; 0: every sample of the split).
    /// </summary>
    public void Evaluated(TimeSpan elapsed, int samples = 0)
    {
        _evaluationSeconds += elapsed.TotalSeconds;
        if (_recentEvaluations.Count == RecentEvaluations)
        {
            _recentEvaluations.Dequeue();
        }
        _recentEvaluations.Enqueue((elapsed.TotalSeconds, samples > 0 ? samples : validationSamples));
    }

    /// <summary>
    /// The search has stored <paramref name="generation"/>, with <paramref name="computed"/> evaluations in all and a
    /// front of <paramref name="frontSize"/>, its hypervolume flat for the last <paramref name="stale"/> generations
    /// (0: it grew in this one; null: the search has no hypervolume, so no early stop).
    /// </summary>
    public void Search(int generation, int computed, int frontSize, int? stale = null)
    {
        // A generation seen as it completes (not a resumed state's) is evidence of how often the hypervolume grows.
        if (stale is { } flat && generation >= 2 && generation == _generation + 1)
        {
            _growths += flat == 0 ? 1 : 0;
            _harmonic += 1.0 / generation;
        }
        (_generation, _computed, _frontSize, _withinGeneration, _stale) = (generation, computed, frontSize, 0, stale);
        _expectedLast = ExpectedLastGeneration();
    }

    /// <summary>The generation the search is expected to end at: its budget, or earlier by the early stop.</summary>
    public double ExpectedLastGeneration()
    {
        if (patience <= 0 || _stale is not { } stale || _generation < 2)
        {
            return generations;
        }
        if (stale >= patience || _generation >= generations)
        {
            return _generation;
        }
        var rate = (_growths + (PriorRate * PriorWeight)) / (_harmonic + PriorWeight);
        // The chance that the search is still running with s flat generations behind it, generation by generation.
        var running = new double[patience];
        running[stale] = 1;
        var expected = 0.0;
        for (var t = _generation + 1; t <= generations; t++)
        {
            var grows = Math.Min(1, rate / t);
            var next = new double[patience];
            for (var s = 0; s < patience; s++)
            {
                next[0] += running[s] * grows;
                if (s + 1 == patience)
                {
                    expected += t * running[s] * (1 - grows);
                }
                else
                {
                    next[s + 1] += running[s] * (1 - grows);
                }
            }
            running = next;
        }
        return expected + (generations * running.Sum());
    }

    /// <summary>
    /// A generation took <paramref name="elapsed"/> from the previous one's commit to its own: what it cost beyond its
    /// evaluations (variation, sorting, the commit) is priced into the generations left, even when the cache answers
    /// every evaluation.
    /// </summary>
    public void Generated(TimeSpan elapsed)
    {
        _generationSeconds += elapsed.TotalSeconds;
        _generationEvaluationSeconds = _evaluationSeconds;
        _generationsTimed++;
    }

    /// <summary>The next generation has scored <paramref name="done"/> of its <paramref name="total"/> vectors.</summary>
    public void Within(int done, int total) => _withinGeneration = total > 0 ? (double)done / total : 0;

    /// <summary>The search is over (at its last generation, or earlier by the early stop or a stop request): none of it is left.</summary>
    public void SearchEnded() => (_generation, _withinGeneration) = (generations, 0);

    /// <summary>The search is over: refinement of <paramref name="points"/> front points comes next, <paramref name="done"/> of them chosen already.</summary>
    public void RefineStarts(int points, int done) => (_generation, _withinGeneration, _refineTotal, _refineDone) = (generations, 0, points, done);

    /// <summary>The calibration of the point being refined has done <paramref name="step"/> of its <paramref name="steps"/> steps in <paramref name="elapsed"/>.</summary>
    public void Calibrating(int step, int steps, TimeSpan elapsed) =>
        (_calibrationStep, _calibrationSteps, _calibrationSeconds) = (step, steps, elapsed.TotalSeconds);

    /// <summary>A front point was chosen (and refined, if it was one to refine) in <paramref name="elapsed"/>.</summary>
    public void Refined(TimeSpan elapsed)
    {
        _calibrationStep = 0;
        _refineDone++;
        _refineTimed++;
        _refineSeconds += elapsed.TotalSeconds;
    }

    /// <summary>Finishing <paramref name="solutions"/> solutions comes next, <paramref name="done"/> of them finished already.</summary>
    public void FinishStarts(int solutions, int done) => (_refineTotal, _refineDone, _finishTotal, _finishDone) = (0, 0, solutions, done);

    /// <summary>A solution was measured on both splits and written in <paramref name="elapsed"/>.</summary>
    public void Finished(TimeSpan elapsed)
    {
        _finishDone++;
        _finishTimed++;
        _finishSeconds += elapsed.TotalSeconds;
    }

    /// <summary>
    /// Seconds one validation evaluation costs, as measured so far (NaN before anything is measured): the median of the
    /// recent ones, so the first passes' warm-up (TorchScript's profiling runs, caches filling) does not price the rest
    /// of the run: on a quiet machine the mean of the first generations priced a 5 s remainder at 39 s.
    /// </summary>
    public double EvaluationSeconds => _recentEvaluations.Count > 0 ? Median(_recentEvaluations.Select(e => e.Seconds)) : _baselineEvaluationSeconds;

    /// <summary>
    /// Seconds a measurement of every validation sample costs: the recent evaluations' time per sample times the split.
    /// With racing the search's evaluations measure fewer samples as the front fills, so their median underprices the
    /// full measurements of refinement and finishing; without racing it is the median itself.
    /// </summary>
    public double FullEvaluationSeconds
    {
        get
        {
            var samples = _recentEvaluations.Sum(e => (double)e.Samples);
            return samples > 0 && validationSamples > 0 && _recentEvaluations.Any(e => e.Samples < validationSamples)
                ? _recentEvaluations.Sum(e => e.Seconds) / samples * validationSamples
                : EvaluationSeconds;
        }
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    /// <summary>The time the run still needs, or null before anything has been measured.</summary>
    public TimeSpan? Remaining()
    {
        var evaluation = EvaluationSeconds;
        if (!double.IsFinite(evaluation))
        {
            // Resumed in a later phase with nothing priced yet: that phase's own timed steps are the price.
            evaluation = _finishTimed > 0 ? _finishSeconds / _finishTimed / (1 + ((double)testSamples / Math.Max(1, validationSamples)))
                : _refineTimed > 0 && refineEvaluationsPerPoint > 0 ? _refineSeconds / _refineTimed / refineEvaluationsPerPoint
                : double.NaN;
            if (!double.IsFinite(evaluation))
            {
                return null;
            }
        }
        // The search: generations left, at the rate of new evaluations per offspring seen so far, never more than the
        // points of the space not yet evaluated.
        var searchSeconds = 0.0;
        if (_refineTotal < 0 && _finishTotal < 0)
        {
            var missRate = _generation >= 2 ? Math.Clamp((double)(_computed - Math.Min(_computed, population)) / ((_generation - 1) * population), 0, 1) : 1;
            var generationsLeft = Math.Max(0, _expectedLast - _generation - _withinGeneration);
            var evaluations = Math.Min(generationsLeft * population * missRate, Math.Max(0, spaceSize - _computed));
            var overhead = _generationsTimed > 0 ? Math.Max(0, (_generationSeconds - _generationEvaluationSeconds) / _generationsTimed) : 0;
            searchSeconds = (evaluations * evaluation) + (generationsLeft * overhead);
        }
        var full = FullEvaluationSeconds;
        if (!double.IsFinite(full))
        {
            full = evaluation;
        }
        var front = _frontSize > 0 ? _frontSize : AssumedFront;
        var refineSeconds = 0.0;
        if (_finishTotal < 0)
        {
            var points = _refineTotal >= 0 ? _refineTotal : front;
            var left = Math.Max(0, points - _refineDone);
            var calibrating = _calibrationStep > 0;
            var stepSeconds = calibrating ? _calibrationSeconds / _calibrationStep : 0;
            // Before a point is timed, a calibration in flight prices a point by its steps and the measure after them.
            var perPoint = _refineTimed > 0 ? _refineSeconds / _refineTimed
                : calibrating ? (_calibrationSteps * stepSeconds) + full
                : refineEvaluationsPerPoint * full;
            var toRefine = refinePointsCap is { } cap ? Math.Min(left, Math.Max(0, cap - _refineTimed)) : left;
            refineSeconds = calibrating && toRefine > 0
                ? ((toRefine - 1) * perPoint) + (Math.Max(0, _calibrationSteps - _calibrationStep) * stepSeconds) + full
                : toRefine * perPoint;
        }
        var finishing = _finishTotal >= 0 ? _finishTotal : Math.Min(front, _refineTotal >= 0 ? _refineTotal : front);
        var perSolution = _finishTimed > 0 ? _finishSeconds / _finishTimed : full * (1 + ((double)testSamples / Math.Max(1, validationSamples)));
        var finishSeconds = Math.Max(0, finishing - _finishDone) * perSolution;
        return TimeSpan.FromSeconds(searchSeconds + refineSeconds + finishSeconds);
    }

    /// <summary>
    /// Elapsed over elapsed plus <paramref name="remaining"/> (what <see cref="Remaining"/> gave): the run's progress by
    /// measured cost; null before any measurement.
    /// </summary>
    public double? Fraction(TimeSpan? remaining)
    {
        if (remaining is null)
        {
            return null;
        }
        var elapsed = Elapsed.TotalSeconds;
        var total = elapsed + remaining.Value.TotalSeconds;
        return total > 0 ? elapsed / total : null;
    }
}
