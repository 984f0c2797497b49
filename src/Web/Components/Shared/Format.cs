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

    public static string Shape(IEnumerable<int> shape) => "[" + string.Join(" × ", shape) + "]";
}
