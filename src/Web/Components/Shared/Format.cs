using WeightShare.Engine.Compression;
using System.Globalization;

namespace WeightShare.Web.Components.Shared;

/// <summary>How figures read on the pages.</summary>
public static class Format
{
    public static string Bytes(long? bytes) => bytes switch
    {
        null => "–",
        < 1024 => $"{bytes} B",
        < 1024 * 1024 => (bytes / 1024.0).Value.ToString("0.0 KiB", CultureInfo.InvariantCulture),
        < 1024L * 1024 * 1024 => (bytes / (1024.0 * 1024)).Value.ToString("0.0 MiB", CultureInfo.InvariantCulture),
        _ => (bytes / (1024.0 * 1024 * 1024)).Value.ToString("0.00 GiB", CultureInfo.InvariantCulture),
    };

    /// <summary>A run's device as people write it: "CPU", "CUDA", or "server default" when the run named none.</summary>
    public static string Device(WeightShare.Engine.Evaluation.ComputeDevice? device) => device?.ToString().ToUpperInvariant() ?? "server default";

    public static string Percent(double? fraction) =>
        fraction is { } f ? (100 * f).ToString("0.00", CultureInfo.InvariantCulture) + " %" : "–";

    public static string Ratio(double? ratio) =>
        ratio is { } r ? r.ToString("0.00", CultureInfo.InvariantCulture) + "x" : "–";

    public static string Number(double? value, string format = "0.00") =>
        value is { } v ? v.ToString(format, CultureInfo.InvariantCulture) : "–";

    public static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    public static string Duration(TimeSpan? span) => span switch
    {
        null => "–",
        { TotalHours: >= 1 } s => $"{(int)s.TotalHours} h {s.Minutes} min",
        { TotalMinutes: >= 1 } s => $"{(int)s.TotalMinutes} min {s.Seconds} s",
        { } s => $"{s.TotalSeconds:0} s",
    };

    /// <summary>
    /// Every time on the pages, in one form: the server renders the pages and does not know the browser's time zone,
    /// so times are UTC and say so.
    /// </summary>
    public static string Time(DateTime utc) =>
        DateTime.SpecifyKind(utc, DateTimeKind.Utc).ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    /// <summary>
    /// A run's settings in a line: the codec, what it minimises, the search's size and, for a run on data, its
    /// validation samples (a data-free run has none, whatever its settings hold).
    /// </summary>
    public static string Settings(WeightShare.Engine.Compression.RunSettings settings, bool dataFree = false)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var objective = settings.Objective switch
        {
            WeightShare.Engine.Compression.SizeObjective.Bytes => "bytes",
            WeightShare.Engine.Compression.SizeObjective.SharedValues => "shared values",
            _ => "codec's objective",
        };
        var options = settings.CodecOptions.Count == 0 ? "" : " (" + string.Join(", ", settings.CodecOptions.Select(o => $"{o.Key} {o.Value}")) + ")";
        var population = settings.Search.Population is { } p ? $"population {p}, " : "";
        return $"{settings.Codec}{options} · {objective} · {population}up to {settings.Search.Generations} generations" + (dataFree ? " · data-free" : settings.ValidationSamples is { } validation ? $" · {validation} validation samples" : " · the default validation split");
    }

    public static string Shape(IEnumerable<int> shape) => "[" + string.Join(" × ", shape) + "]";
}
