using System.Globalization;
using System.Text.RegularExpressions;

namespace WeightShare.Engine.Compression;

/// <summary>
/// A setting outside its limits. <see cref="Field"/> is its path in the API's JSON ("search.population");
/// <see cref="Rule"/> is worded to follow any name for it ("must be between 4 and 10000"), naming another setting as
/// <c>{path}</c>; <see cref="Message"/> is the refusal the API gives. A range also gives its bounds, so a form that
/// shows the field in other units (points rather than a fraction) can restate them without writing the numbers again.
/// </summary>
public sealed partial record SettingProblem(string Field, string Rule, string Message, double? Min = null, double? Max = null)
{
    /// <summary>The rule as a form shows it, under the form's own name for each setting: "Population must be between 4 and 10000."</summary>
    public string Describe(Func<string, string> label)
    {
        ArgumentNullException.ThrowIfNull(label);
        return $"{label(Field)} {OtherField().Replace(Rule, m => label(m.Groups[1].Value))}.";
    }

    /// <summary>A range rule, "must be between min and max", with the API's message unless it words several fields at once.</summary>
    internal static SettingProblem Between(string field, double min, double max, object? got, string? message = null)
    {
        var rule = string.Create(CultureInfo.InvariantCulture, $"must be between {min} and {max}");
        return new(field, rule, message ?? string.Create(CultureInfo.InvariantCulture, $"{field} {rule} (got {got})."), min, max);
    }

    [GeneratedRegex(@"\{([A-Za-z.]+)\}")]
    private static partial Regex OtherField();
}
