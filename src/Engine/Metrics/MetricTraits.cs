namespace WeightShare.Engine.Metrics;

/// <summary>What a metric is and how it reads: everything <see cref="MetricDefinition"/> says of it but how it is measured.</summary>
/// <param name="Id">The id runs name it by (camelCase, as the API writes it), e.g. "accuracy".</param>
/// <param name="ShortName">Its name in running text, e.g. "accuracy", "output SNR".</param>
/// <param name="Description">What it measures, in a sentence for help texts.</param>
public sealed record MetricTraits(string Id, string ShortName, string Description)
{
    /// <summary>How its figure reads.</summary>
    public MetricUnit Unit { get; init; } = MetricUnit.Percent;

    /// <summary>True when it compares with labels.</summary>
    public bool NeedsLabels { get; init; }

    /// <summary>True when it runs the model on data; false for a metric of the weights alone.</summary>
    public bool NeedsData { get; init; } = true;

    /// <summary>True when the model must return one score per class ([batch, classes]).</summary>
    public bool NeedsClassScores { get; init; } = true;

    /// <summary>What of the uploaded model's it compares with.</summary>
    public MetricReference Reference { get; init; } = MetricReference.None;

    /// <summary>Its name where a user chooses it; null: the short name, capitalised.</summary>
    public string? ChoiceLabel { get; init; }

    /// <summary>The chart's y axis; null: "Validation" and the short name (the short name alone without data).</summary>
    public string? AxisName { get; init; }

    /// <summary>The run page's line on what the run measures; null: made from the short name and description.</summary>
    public string? ModeText { get; init; }

    /// <summary>The report's "Metric:" line; null: the short name.</summary>
    public string? ReportText { get; init; }

    /// <summary>The help on the solutions table's test column; null: made from the short name.</summary>
    public string? TestHelp { get; init; }
}
