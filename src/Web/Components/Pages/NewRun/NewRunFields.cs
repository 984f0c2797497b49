using System.Globalization;
using WeightShare.Engine.Compression;

namespace WeightShare.Web.Components.Pages.NewRun;

/// <summary>
/// The new-run page's own names for the settings it shows, by their path in the API's JSON, and the Engine's limit
/// problems worded with them: the limits stay in <see cref="RunSettings.LimitProblems"/>, the labels here.
/// </summary>
public static class NewRunFields
{
    // Scale: the page's unit per unit of the setting (target loss is typed in points, stored as a fraction).
    private static readonly Dictionary<string, (string Label, double Scale)> Fields = new()
    {
        ["validationSamples"] = ("Validation samples", 1),
        ["search.population"] = ("Population", 1),
        ["search.generations"] = ("Generations", 1),
        ["search.kMin"] = ("k min", 1),
        ["search.kMax"] = ("k max", 1),
        ["search.seed"] = ("Seed", 1),
        ["search.patience"] = ("Early stop (generations)", 1),
        ["merge.tolerance"] = ("Merge tolerance", 1),
        ["calibration.samples"] = ("Calibration samples", 1),
        ["calibration.steps"] = ("Calibration steps", 1),
        ["calibration.budget"] = ("Calibrated points", 1),
        ["calibration.targetLoss"] = ("Target loss (points)", 100),
    };

    /// <summary>Whether the page has a field for the setting at <paramref name="path"/>.</summary>
    public static bool Has(string path) => Fields.ContainsKey(path);

    /// <summary>The page's label for the setting at <paramref name="path"/>, or the path itself.</summary>
    public static string Label(string path) => Fields.TryGetValue(path, out var field) ? field.Label : path;

    /// <summary>A field the browser could not read as a number (it arrives empty).</summary>
    public static string NotANumber(string path) => $"{Label(path)} must be a number.";

    /// <summary>The problem under the page's labels, a range restated in the field's own unit.</summary>
    public static string Describe(SettingProblem problem)
    {
        ArgumentNullException.ThrowIfNull(problem);
        return Fields.TryGetValue(problem.Field, out var field) && field.Scale != 1 && problem is { Min: { } min, Max: { } max }
            ? string.Create(CultureInfo.InvariantCulture, $"{field.Label} must be between {min * field.Scale} and {max * field.Scale}.")
            : problem.Describe(Label);
    }
}
