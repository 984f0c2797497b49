namespace WeightShare.LoadTest;

/// <summary>Everything one load test measured, as written to report.json.</summary>
public sealed record LoadReport(
    DateTime StartedAt,
    LoadOptions Options,
    double LoadSeconds,
    IReadOnlyList<KindSummary> Requests,
    MemoryFigures Memory,
    IReadOnlyList<RunComparison> Runs,
    IReadOnlyList<string> ServerFailures,
    IReadOnlyList<string> ServerWarnings)
{
    /// <summary>Request errors of every kind together (429s with Retry-After are not errors).</summary>
    public int Errors => Requests.Sum(r => r.Errors);

    /// <summary>The load held: no request failed, the server logged no failure, both runs succeeded with the fronts they have alone.</summary>
    public bool Held => Errors == 0 && ServerFailures.Count == 0 && Runs.All(r => r.Held);
}
