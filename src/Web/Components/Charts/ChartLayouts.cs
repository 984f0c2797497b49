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
}
