using WeightShare.Engine.Compression;
using WeightShare.Engine.Metrics;

namespace WeightShare.Web.Components.Charts;

/// <summary>
/// What the hypervolume measures, in the run's own terms: the search minimises (1 - metric, size), where the metric is
/// a fraction (accuracy 90 % is 0.9) or, for a run in dB, dB / 100. Without the run's unit or size objective the words
/// stay true for every run.
/// </summary>
public static class HypervolumeWording
{
    /// <summary>The y axis title, with the area's unit.</summary>
    public static string AxisTitle(MetricUnit? unit, SizeObjective? objective) =>
        $"Area: ({Shortfall(unit)}) × {Size(objective)}";

    /// <summary>The help text under the chart title.</summary>
    public static string Explanation(MetricUnit? unit, SizeObjective? objective) =>
        $"The area that every solution found so far dominates in the ({Shortfall(unit)}, {Size(objective)}) plane, "
        + $"up to {Shortfall(unit)} = 1 and {Largest(objective)}. {Example(unit)} "
        + "It never falls: it rises while the search finds better trade-offs, and a flat line means it has stopped "
        + "finding them (the early stop ends the search after that many flat generations).";

    private static string Shortfall(MetricUnit? unit) => unit == MetricUnit.Decibels ? "1 − dB/100" : "1 − metric";

    private static string Size(SizeObjective? objective) => objective switch
    {
        SizeObjective.Bytes => ".wsz bytes",
        SizeObjective.SharedValues => "shared values",
        _ => "size",
    };

    private static string Largest(SizeObjective? objective) => objective switch
    {
        SizeObjective.Bytes => "the uploaded file's bytes",
        SizeObjective.SharedValues => "the most shared values the search allows",
        _ => "the largest size the search allows (the uploaded file's bytes, or the most shared values)",
    };

    private static string Example(MetricUnit? unit) => unit switch
    {
        MetricUnit.Decibels => "A solution at 40 dB counts 0.6 there.",
        MetricUnit.Percent => "A solution at 90 % counts 0.1 there.",
        _ => "The metric counts as a fraction: 90 % counts 0.1, and 40 dB (a data-free run's weight SNR) counts 0.6.",
    };
}
