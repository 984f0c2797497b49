namespace WeightShare.LoadTest;

/// <summary>One kind of request over the whole load: how many succeeded, were throttled or failed, and the successes' latencies in ms.</summary>
public sealed record KindSummary(
    string Kind,
    int Succeeded,
    int Throttled,
    int Errors,
    double? P50Milliseconds,
    double? P99Milliseconds,
    double? MaxMilliseconds,
    IReadOnlyDictionary<string, int> ErrorsByKind);
