using WeightShare.Engine.Evaluation;

namespace WeightShare.Engine.Pipeline;

/// <summary>
/// A racing search's memory (<see cref="RacingRule"/>): every evaluation with the samples it used, and the points
/// measured on every validation sample, which are the known points a candidate is raced against. Rebuilt from the
/// stored evaluations when a run resumes, so a resumed search races exactly as a straight one.
/// </summary>
internal sealed class SearchRacing
{
    private readonly List<SampledEvaluation> _evaluations = [];
    private readonly List<SampledEvaluation> _known = [];
    private readonly Dictionary<string, int> _samples = new(StringComparer.Ordinal);
    private readonly double? _reach;

    /// <summary>
    /// Racing over a validation split of <paramref name="validationCount"/> samples in chunks of <paramref name="chunk"/>,
    /// in a search that counts a point infeasible past the loss <paramref name="reach"/> (null: an unfocused search),
    /// measuring a candidate on at most the whole chunks that reach <paramref name="candidateSamples"/> (null: every sample).
    /// </summary>
    public SearchRacing(int validationCount, int chunk, double? reach, IEnumerable<SampledEvaluation> resumed, int? candidateSamples = null)
    {
        ValidationCount = validationCount;
        Chunk = chunk;
        CandidateSamples = Math.Min(validationCount, candidateSamples ?? validationCount);
        _reach = reach;
        foreach (var evaluation in resumed)
        {
            Add(evaluation);
        }
    }

    /// <summary>Samples in the validation split.</summary>
    public int ValidationCount { get; }

    /// <summary>Samples per look.</summary>
    public int Chunk { get; }

    /// <summary>
    /// The samples a candidate that is not stopped is measured on in the search (whole chunks reaching it): it is then a
    /// known point, raced against as one measured on every sample.
    /// </summary>
    public int CandidateSamples { get; }

    /// <summary>Evaluations recorded.</summary>
    public int Count => _evaluations.Count;

    /// <summary>Evaluations stopped by the rule, before <see cref="CandidateSamples"/>.</summary>
    public int Raced { get; private set; }

    /// <summary>Validation samples measured over every evaluation.</summary>
    public long Samples { get; private set; }

    /// <summary>Every evaluation so far, in order (a copy).</summary>
    public IReadOnlyList<SampledEvaluation> Evaluations => [.. _evaluations];

    /// <summary>
    /// True when a candidate of <paramref name="size"/> measured so far as <paramref name="soFar"/> is behind
    /// (<see cref="RacingRule"/>): a known point of no more size, or, in a focused search, every feasible point; or
    /// when it has been measured on <see cref="CandidateSamples"/>.
    /// </summary>
    public bool Stops(EvaluationResult soFar, long size)
    {
        ArgumentNullException.ThrowIfNull(soFar);
        if (soFar.Samples >= CandidateSamples)
        {
            return true;
        }
        if (soFar.Pairs is not { } pairs)
        {
            return false;
        }
        var partial = pairs.Interval(RacingRule.Z);
        return RacingRule.BeyondReach(partial, _reach) || RacingRule.Dominated(partial, size, _known);
    }

    /// <summary>Records a finished evaluation (stopped or not) and returns it.</summary>
    public SampledEvaluation Record(int[] genes, long size, EvaluationResult result)
    {
        var loss = result.Loss ?? throw new InvalidOperationException("A racing evaluation gives its loss interval.");
        var evaluation = new SampledEvaluation(genes.ToArray(), size, result.Samples, loss);
        Add(evaluation);
        return evaluation;
    }

    /// <summary>The samples the evaluation of <paramref name="genes"/> used; null when it is not recorded.</summary>
    public int? SamplesOf(IReadOnlyList<int> genes) => _samples.TryGetValue(string.Join(',', genes), out var samples) ? samples : null;

    private void Add(SampledEvaluation evaluation)
    {
        _evaluations.Add(evaluation);
        _samples[evaluation.Key] = evaluation.Samples;
        Samples += evaluation.Samples;
        if (evaluation.Samples >= CandidateSamples)
        {
            _known.Add(evaluation);
        }
        else
        {
            Raced++;
        }
    }
}
