using WeightShare.Engine.Evaluation;

namespace WeightShare.Engine.Metrics;

/// <summary>
/// One metric a run can maximise: its name, unit and needs, how pages and reports show it, and how it is measured.
/// Adding a metric is one class and one <see cref="MetricRegistry.Register"/> line; the API, the pages, the report and
/// the Engine read everything they say of a metric from here.
/// </summary>
public abstract class MetricDefinition
{
    private readonly MetricTraits _traits;

    /// <summary>A metric with these traits.</summary>
    protected MetricDefinition(MetricTraits traits)
    {
        ArgumentNullException.ThrowIfNull(traits);
        _traits = traits;
    }

    /// <summary>The id runs name it by (camelCase, as the API writes it), e.g. "accuracy".</summary>
    public string Id => _traits.Id;

    /// <summary>The metric's name in running text, e.g. "accuracy", "output SNR".</summary>
    public string ShortName => _traits.ShortName;

    /// <summary>What it measures, in a sentence for help texts.</summary>
    public string Description => _traits.Description;

    /// <summary>Its name where a user chooses a run's metric (the new-run page).</summary>
    public string ChoiceLabel => _traits.ChoiceLabel ?? Capitalized(ShortName);

    /// <summary>What the chart's y axis and the run page call the searched figure, e.g. "Validation accuracy".</summary>
    public string AxisName => _traits.AxisName ?? (NeedsData ? "Validation " + ShortName : Capitalized(ShortName));

    /// <summary>The run page's line saying what the run measures.</summary>
    public string ModeText => _traits.ModeText ?? (NeedsLabels ? $"Labels: {ShortName} of the model" : $"{Capitalized(ShortName)}: {Description}");

    /// <summary>The report's "Metric:" line.</summary>
    public string ReportText => _traits.ReportText ?? ShortName;

    /// <summary>The solutions table's help on the test column.</summary>
    public string TestHelp => _traits.TestHelp ?? $"{Capitalized(ShortName)} of the shared-weight checkpoint on the held-out test split";

    /// <summary>True when the uploaded model's own figure means something (against labels); against itself it is perfect by definition.</summary>
    public bool HasBaseline => NeedsLabels;

    /// <summary>How its figure reads.</summary>
    public MetricUnit Unit => _traits.Unit;

    /// <summary>True when it compares with labels, so a dataset without labels cannot give it.</summary>
    public bool NeedsLabels => _traits.NeedsLabels;

    /// <summary>True when it runs the model on data; false for a metric of the weights alone (a data-free run).</summary>
    public bool NeedsData => _traits.NeedsData;

    /// <summary>True when the model must return one score per class ([batch, classes]).</summary>
    public bool NeedsClassScores => _traits.NeedsClassScores;

    /// <summary>True when the model's class scores must cover every class of the labels.</summary>
    public bool ChecksLabelClasses => NeedsLabels;

    /// <summary>True when calibration (distillation of class scores) serves it; false for outputs that are not class scores.</summary>
    public bool Calibrates => NeedsClassScores;

    /// <summary>What of the uploaded model's it compares with.</summary>
    public MetricReference Reference => _traits.Reference;

    /// <summary>
    /// True when every measurement pairs each sample's outcome with the uploaded model's and gives the loss against it
    /// with its interval in this metric's own units (<see cref="EvaluationResult.Loss"/> and
    /// <see cref="EvaluationResult.Pairs"/>), so that the metric is the baseline's minus the loss: what racing needs.
    /// </summary>
    public virtual bool HasLossInterval => false;

    /// <summary>True for a figure in dB.</summary>
    public bool IsDecibels => Unit == MetricUnit.Decibels;

    /// <summary>The metric's figure in <paramref name="result"/>: its first figure unless it says otherwise.</summary>
    public virtual double ValueOf(EvaluationResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return result.Accuracy;
    }

    /// <summary>A figure as people read it: "90.12 %" or "23.4 dB".</summary>
    public string Format(double value) => IsDecibels
        ? (value * WeightFidelity.MaxDecibels).ToString("0.0", System.Globalization.CultureInfo.InvariantCulture) + " dB"
        : (value * 100).ToString("0.00", System.Globalization.CultureInfo.InvariantCulture) + " %";

    /// <summary>A figure in its display unit (% or dB), for charts and tables.</summary>
    public double ToDisplay(double value) => value * (IsDecibels ? WeightFidelity.MaxDecibels : 100);

    /// <summary>The display unit's symbol: "%" or "dB".</summary>
    public string UnitSymbol => IsDecibels ? "dB" : "%";

    /// <summary>The metric's figure from stored accuracy and macro-F1 (e.g. a baseline read back from the database).</summary>
    public double? ValueOf(double? accuracy, double? macroF1) =>
        accuracy is { } a ? ValueOf(new EvaluationResult(a, macroF1 ?? double.NaN, 0)) : null;

    private static string Capitalized(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];

    /// <summary>Starts measuring a model's outputs on one split; metrics without data never start.</summary>
    public abstract MetricAccumulator Start(MetricTarget target);
}
