namespace WeightShare.Engine.Metrics;

/// <summary>
/// The metrics a host knows, by id, in registration order. Adding a metric is one class and one
/// <see cref="Register"/> line; a host (or a test) may add its own to a registry of its own.
/// </summary>
public sealed class MetricRegistry
{
    private readonly Dictionary<string, MetricDefinition> _metrics = new(StringComparer.Ordinal);

    /// <summary>The metrics the product ships.</summary>
    public static MetricRegistry Default { get; } = CreateDefault();

    /// <summary>The registered metrics, in registration order.</summary>
    public IReadOnlyList<MetricDefinition> All => [.. _metrics.Values];

    /// <summary>A new registry holding the product's metrics: accuracy, macro-F1, agreement, output fidelity, weight SNR.</summary>
    public static MetricRegistry CreateDefault() => new MetricRegistry()
        .Register(new AccuracyMetric())
        .Register(new MacroF1Metric())
        .Register(new AgreementMetric())
        .Register(new OutputFidelityMetric())
        .Register(new WeightSnrMetric());

    /// <summary>Adds a metric.</summary>
    /// <exception cref="ArgumentException">Its id is already registered or empty.</exception>
    public MetricRegistry Register(MetricDefinition metric)
    {
        ArgumentNullException.ThrowIfNull(metric);
        if (string.IsNullOrWhiteSpace(metric.Id) || !_metrics.TryAdd(metric.Id, metric))
        {
            throw new ArgumentException($"A metric with id '{metric.Id}' is already registered, or the id is empty.", nameof(metric));
        }
        return this;
    }

    /// <summary>True when <paramref name="id"/> names a registered metric.</summary>
    public bool Contains(string id) => _metrics.ContainsKey(id);

    /// <summary>The metric <paramref name="id"/>.</summary>
    /// <exception cref="InvalidInputException">No metric has that id; the message lists the ones there are.</exception>
    public MetricDefinition Get(string id) =>
        _metrics.TryGetValue(id, out var metric)
            ? metric
            : throw new InvalidInputException($"metric '{id}' is not one of: {string.Join(", ", _metrics.Keys)}.");

    /// <summary>The metric a stored run names, for showing it: a metric this host does not know reads as its first (accuracy).</summary>
    public MetricDefinition Named(string? id) => Find(id) ?? _metrics.Values.First();

    /// <summary>The metric <paramref name="id"/>, or null for an id this host does not know (a run stored by another host).</summary>
    public MetricDefinition? Find(string? id) => id is not null && _metrics.TryGetValue(id, out var metric) ? metric : null;
}
