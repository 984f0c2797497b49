using System.Globalization;
using Plotly.Blazor.LayoutLib;

namespace WeightShare.Web.Components.Charts;

/// <summary>The look the run page's charts share; transparent so they sit on the light and the dark theme.</summary>
public static class ChartLayouts
{
    /// <summary>One colour per compared run, told apart on light and dark backgrounds; a run keeps it on every chart.</summary>
    public static IReadOnlyList<string> RunColors { get; } = ["#3f51b5", "#e65100", "#2e7d32", "#8e24aa", "#00838f", "#c62828", "#6d4c41", "#546e7a"];

    public static Plotly.Blazor.Layout Create(string xTitle, string yTitle, bool logX = false) => new()
    {
        XAxis = [new XAxis
        {
            Title = new Plotly.Blazor.LayoutLib.XAxisLib.Title { Text = xTitle },
            Type = logX ? Plotly.Blazor.LayoutLib.XAxisLib.TypeEnum.Log : Plotly.Blazor.LayoutLib.XAxisLib.TypeEnum.Linear,
            GridColor = "rgba(128,128,128,0.2)",
        }],
        YAxis = [new YAxis
        {
            Title = new Plotly.Blazor.LayoutLib.YAxisLib.Title { Text = yTitle },
            GridColor = "rgba(128,128,128,0.2)",
        }],
        PaperBgColor = "rgba(0,0,0,0)",
        PlotBgColor = "rgba(0,0,0,0)",
        Font = new Font { Color = "#888" },
        Margin = new Margin { L = 60, R = 20, T = 20, B = 50 },
        Legend = [new Legend { Orientation = Plotly.Blazor.LayoutLib.LegendLib.OrientationEnum.H, Y = -0.25m }],
        Height = 420,
    };

    /// <summary>
    /// Ticks a log axis reads without decoding: 1, 2 and 5 of each decade the values span ("20k", "50k", "100k"), only
    /// the powers of ten beyond four decades. Plotly's own log ticks label the digits between powers of ten alone
    /// ("2 3 4 … 100k 2 3"). Values that are not all positive and finite leave Plotly's ticks.
    /// </summary>
    public static void LogTicks(XAxis axis, IEnumerable<double> values)
    {
        ArgumentNullException.ThrowIfNull(axis);
        var shown = values.Where(v => v > 0 && double.IsFinite(v)).ToArray();
        if (shown.Length == 0)
        {
            (axis.TickMode, axis.TickVals, axis.TickText) = (Plotly.Blazor.LayoutLib.XAxisLib.TickModeEnum.Auto, null, null);
            return;
        }
        var low = (int)Math.Floor(Math.Log10(shown.Min()));
        var high = Math.Max(low + 1, (int)Math.Ceiling(Math.Log10(shown.Max())));
        int[] steps = high - low > 4 ? [1] : [1, 2, 5];
        var ticks = Enumerable.Range(low, high - low + 1)
            .SelectMany(exponent => steps.Select(step => step * Math.Pow(10, exponent)))
            .Where(tick => tick <= Math.Pow(10, high))
            .ToArray();
        axis.TickMode = Plotly.Blazor.LayoutLib.XAxisLib.TickModeEnum.Array;
        axis.TickVals = ticks.Select(t => (object)t).ToList();
        axis.TickText = ticks.Select(t => (object)TickText(t)).ToList();
    }

    /// <summary>A tick's value as the axis labels it: "500", "2k", "10M", "0.2".</summary>
    public static string TickText(double value) => value switch
    {
        >= 1e9 => (value / 1e9).ToString("0.##", CultureInfo.InvariantCulture) + "G",
        >= 1e6 => (value / 1e6).ToString("0.##", CultureInfo.InvariantCulture) + "M",
        >= 1e3 => (value / 1e3).ToString("0.##", CultureInfo.InvariantCulture) + "k",
        _ => value.ToString("0.###", CultureInfo.InvariantCulture),
    };
}
