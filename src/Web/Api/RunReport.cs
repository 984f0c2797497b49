using System.Globalization;
using System.Net;
using System.Text;
using WeightShare.Engine.Evaluation;
using WeightShare.Engine.Metrics;
using WeightShare.Web.Components.Shared;

namespace WeightShare.Web.Api;

/// <summary>
/// A run as one self-contained HTML file to keep or mail: settings, baseline, timings, the solutions table and the two
/// charts drawn as inline SVG (no script, no request to anything), so it opens anywhere and prints as it shows.
/// </summary>
public static class RunReport
{
    private const int Width = 720;
    private const int Height = 360;
    private const int Left = 96;
    private const int Right = 16;
    private const int Top = 16;
    private const int Bottom = 48;

    /// <param name="run">The run.</param>
    /// <param name="modelFileName">The uploaded model's file name.</param>
    /// <param name="datasetFileName">The dataset's file name.</param>
    /// <param name="generations">The run's generations.</param>
    /// <param name="solutions">Its solutions.</param>
    /// <param name="refinementLabel">What the run's codec calls a refined solution ("merged", "calibrated").</param>
    public static string Html(RunInfo run, MetricDefinition metric, string modelFileName, string datasetFileName, IReadOnlyList<GenerationInfo> generations, IReadOnlyList<SolutionInfo> solutions, string refinementLabel = "refined")
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(generations);
        ArgumentNullException.ThrowIfNull(solutions);
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>WeightShareWeb run ").Append(E(run.Id)).Append("</title><style>")
            .Append("body{font-family:system-ui,sans-serif;margin:2em;color:#222}table{border-collapse:collapse;margin:1em 0}")
            .Append("td,th{border:1px solid #ccc;padding:.3em .6em;text-align:right;white-space:nowrap}th{background:#f3f3f3}td.l,th.l{text-align:left;white-space:normal}")
            .Append("svg{border:1px solid #ddd;margin:1em 0}.muted{color:#777}</style></head><body>");
        html.Append("<h1>Run of ").Append(E(modelFileName)).Append("</h1>");
        html.Append("<p>").Append(E(run.Status.ToString())).Append(" · dataset ").Append(E(datasetFileName)).Append(" · created ").Append(E(Format.Time(run.CreatedAt)))
            .Append(" · run ").Append(E(run.Id)).Append("</p>");
        if (run.Notes is { Length: > 0 } notes)
        {
            html.Append("<p><strong>Notes:</strong> ").Append(E(notes)).Append("</p>");
        }
        html.Append("<p>").Append(E(Format.Settings(run.Settings, run.DataFree))).Append(" · device ").Append(E(Format.Device(run.Settings.Device))).Append("</p>");
        if (run.StopSearchRequested)
        {
            html.Append("<p><strong>The search was stopped by request</strong> (Stop and keep) after generation ").Append(run.Generation).Append(" of ").Append(run.Generations).Append("; the solutions come from that generation's front.</p>");
        }
        ArgumentNullException.ThrowIfNull(metric);
        string Figure(double? value) => metric.IsDecibels && value is { } v ? metric.Format(v) : Format.Percent(value);
        html.Append("<p>Metric: ").Append(E(metric.ReportText)).Append("</p>");
        html.Append("<table><tr><th class=\"l\">Baseline</th><th>Validation</th><th>Test</th><th>File</th></tr><tr><td class=\"l\">Uploaded model</td><td>")
            .Append(E(Figure(run.Baseline.ValidationAccuracy))).Append("</td><td>").Append(E(Figure(run.Baseline.TestAccuracy)))
            .Append("</td><td>").Append(E(Format.Bytes(run.Baseline.SizeBytes))).Append("</td></tr></table>");
        var timings = run.Timings;
        html.Append("<p>Generations ").Append(run.Generation).Append(" of ").Append(run.Generations).Append(" · evaluations ").Append(run.Evaluations)
            .Append(" · cache hits ").Append(run.CacheHits)
            .Append(run.RacedEvaluations is > 0 ? Invariant($" · raced {run.RacedEvaluations}") : "")
            .Append(run.ValidationSamplesEvaluated is { } samples ? Invariant($" · validation samples measured {samples:N0}") : "")
            .Append(Invariant($" · seconds: baseline {timings.BaselineSeconds:0.0}, search {timings.SearchSeconds:0.0}, refine {timings.RefineSeconds:0.0}, finish {timings.FinishSeconds:0.0}"))
            .Append(run.EvaluationsPerSecond is { } rate ? Invariant($" · {rate:0.##} evaluations/s") : "").Append("</p>");

        html.Append("<h2>Front</h2>");
        html.Append(FrontSvg(run, metric, generations, solutions));
        html.Append("<h2>Hypervolume per generation</h2>");
        html.Append(HypervolumeSvg(generations, metric.Unit, run.Settings.Objective));

        html.Append("<h2>Solutions</h2><table><tr><th class=\"l\">Solution</th><th>Shared values</th><th>Validation</th><th>Test</th><th>Bits / weight</th><th>.wsz bytes</th><th>File ratio</th><th class=\"l\">Marks</th></tr>");
        foreach (var s in solutions)
        {
            var marks = string.Join(", ", new[] { s.Recommended ? "recommended" : null, s.Merged ? refinementLabel : null, s.Dominated ? "dominated" : null, s.AtChanceLevel ? "chance level" : null }.OfType<string>());
            html.Append("<tr><td class=\"l\">").Append(E(s.Description)).Append("</td><td>").Append(s.SharedValues).Append("</td><td>").Append(E(Figure(s.ValidationMetric)))
                .Append("</td><td>").Append(E(Figure(s.TestAccuracy))).Append("</td><td>").Append(E(Format.Number(s.BitsPerWeight, "0.000")))
                .Append("</td><td>").Append(E(s.CompressedBytes?.ToString("N0", CultureInfo.InvariantCulture) ?? "—")).Append("</td><td>").Append(E(Format.Ratio(s.FileCompressionRatio)))
                .Append("</td><td class=\"l\">").Append(E(marks)).Append("</td></tr>");
        }
        html.Append("</table><p class=\"muted\">Made by WeightShareWeb. File ratio = uploaded file bytes / .wsz bytes; ")
            .Append(run.DataFree ? "a data-free run has no samples: its figure is the weights' signal-to-noise ratio as the file stores them." : "test figures on samples the search never saw; they only report. Recommended: the smallest file whose loss against the uploaded model on validation, by the upper end of its 95 % interval, is within the run's tolerance; dominated and chance level are decided on validation too.")
            .Append("</p></body></html>");
        return html.ToString();
    }

    /// <summary>The last generation's front and the finished solutions: validation metric (%) against .wsz bytes, or shared values where the run has no bytes.</summary>
    private static string FrontSvg(RunInfo run, MetricDefinition metric, IReadOnlyList<GenerationInfo> generations, IReadOnlyList<SolutionInfo> solutions)
    {
        var front = generations.Count > 0 ? generations[^1].Front : [];
        // The run's own size objective: a bytes search has bytes on its front and its finished solutions; a search over
        // shared values has no bytes on its front, so both are placed by shared values.
        var bytes = run.Settings.Objective == Engine.Compression.SizeObjective.Bytes;
        var frontPoints = front.Select(p => (X: bytes ? (double?)p.Bytes : p.SharedValues, Y: p.ValidationMetric ?? p.ValidationAccuracy))
            .Where(p => p.X is > 0).Select(p => (X: p.X!.Value, p.Y)).OrderBy(p => p.X).ToArray();
        var solutionPoints = solutions.Select(s => (X: bytes ? (double?)s.CompressedBytes : s.SharedValues, Y: s.ValidationMetric, s.Dominated, s.AtChanceLevel))
            .Where(p => p.X is > 0).Select(p => (X: p.X!.Value, p.Y, p.Dominated, p.AtChanceLevel)).ToArray();
        var xs = frontPoints.Select(p => p.X).Concat(solutionPoints.Select(p => p.X)).ToArray();
        // Against the uploaded model itself (agreement, SNRs) the baseline is perfect by definition: no line.
        var baseline = metric.HasBaseline ? metric.ValueOf(run.Baseline.ValidationAccuracy, run.Baseline.ValidationMacroF1) : null;
        var decibels = metric.IsDecibels;
        var ys = frontPoints.Select(p => p.Y).Concat(solutionPoints.Select(p => p.Y)).Concat(baseline is { } b ? [b] : []).ToArray();
        if (xs.Length == 0)
        {
            return "<p class=\"muted\">No generation yet.</p>";
        }
        var (xMin, xMax) = (Math.Log10(xs.Min()) - 0.05, Math.Log10(xs.Max()) + 0.05);
        var (yMin, yMax) = (decibels ? ys.Min() - 0.01 : Math.Max(0, ys.Min() - 0.01), Math.Min(1, ys.Max() + 0.01));
        double X(double x) => Left + ((Math.Log10(x) - xMin) / Math.Max(1e-9, xMax - xMin) * (Width - Left - Right));
        double Y(double y) => Height - Bottom - ((y - yMin) / Math.Max(1e-9, yMax - yMin) * (Height - Top - Bottom));
        var svg = Frame(bytes ? ".wsz file size (bytes, log scale)" : "Shared values (log scale)", decibels ? "Validation (dB)" : "Validation (%)",
            Invariant($"{xs.Min():N0}"), Invariant($"{xs.Max():N0}"), Invariant($"{100 * yMin:0.#}"), Invariant($"{100 * yMax:0.#}"));
        if (baseline is { } line)
        {
            svg.Append(Invariant($"<line x1=\"{Left}\" x2=\"{Width - Right}\" y1=\"{Y(line):0.#}\" y2=\"{Y(line):0.#}\" stroke=\"#2e7d32\" stroke-dasharray=\"6 4\"><title>Baseline {100 * line:0.00} %</title></line>"));
        }
        if (frontPoints.Length > 1)
        {
            svg.Append("<polyline fill=\"none\" stroke=\"#3f51b5\" stroke-width=\"2\" points=\"")
                .AppendJoin(' ', frontPoints.Select(p => Invariant($"{X(p.X):0.#},{Y(p.Y):0.#}"))).Append("\"/>");
        }
        foreach (var p in frontPoints)
        {
            svg.Append(Invariant($"<circle cx=\"{X(p.X):0.#}\" cy=\"{Y(p.Y):0.#}\" r=\"3\" fill=\"#3f51b5\"/>"));
        }
        foreach (var p in solutionPoints)
        {
            var color = p.AtChanceLevel ? "#9e9e9e" : "#e65100";
            var fill = p.Dominated || p.AtChanceLevel ? "none" : color;
            svg.Append(Invariant($"<rect class=\"solution\" x=\"{X(p.X) - 5:0.#}\" y=\"{Y(p.Y) - 5:0.#}\" width=\"10\" height=\"10\" fill=\"{fill}\" stroke=\"{color}\" stroke-width=\"2\"><title>{p.X:N0}: {100 * p.Y:0.00} %</title></rect>"));
        }
        return svg.Append("</svg><p class=\"muted\">Line: the last generation's front; squares: the solutions (hollow: dominated or at chance level); dashed: the baseline.</p>").ToString();
    }

    private static string HypervolumeSvg(IReadOnlyList<GenerationInfo> generations, MetricUnit unit, Engine.Compression.SizeObjective? objective)
    {
        var points = generations.Where(g => g.Hypervolume is not null).Select(g => (X: (double)g.Generation, Y: g.Hypervolume!.Value)).ToArray();
        if (points.Length == 0)
        {
            return "<p class=\"muted\">No generation yet.</p>";
        }
        var (xMin, xMax) = (points.Min(p => p.X), Math.Max(points.Max(p => p.X), points.Min(p => p.X) + 1));
        var (yMin, yMax) = (points.Min(p => p.Y), points.Max(p => p.Y));
        if (yMax - yMin < 1e-12)
        {
            (yMin, yMax) = (yMin * 0.99, (yMax * 1.01) + 1e-12);
        }
        double X(double x) => Left + ((x - xMin) / (xMax - xMin) * (Width - Left - Right));
        double Y(double y) => Height - Bottom - ((y - yMin) / (yMax - yMin) * (Height - Top - Bottom));
        var svg = Frame("Generation", Components.Charts.HypervolumeWording.AxisTitle(unit, objective), Invariant($"{xMin:0}"), Invariant($"{xMax:0}"), Compact(yMin), Compact(yMax));
        svg.Append("<polyline fill=\"none\" stroke=\"#00897b\" stroke-width=\"2\" points=\"")
            .AppendJoin(' ', points.Select(p => Invariant($"{X(p.X):0.#},{Y(p.Y):0.#}"))).Append("\"/>");
        return svg.Append("</svg>").ToString();
    }

    private static StringBuilder Frame(string xTitle, string yTitle, string xLow, string xHigh, string yLow, string yHigh) => new StringBuilder()
        .Append(Invariant($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{Height}\" viewBox=\"0 0 {Width} {Height}\" font-size=\"11\">"))
        .Append(Invariant($"<line x1=\"{Left}\" y1=\"{Height - Bottom}\" x2=\"{Width - Right}\" y2=\"{Height - Bottom}\" stroke=\"#888\"/>"))
        .Append(Invariant($"<line x1=\"{Left}\" y1=\"{Top}\" x2=\"{Left}\" y2=\"{Height - Bottom}\" stroke=\"#888\"/>"))
        .Append(Invariant($"<text x=\"{Left}\" y=\"{Height - Bottom + 14}\">{E(xLow)}</text><text x=\"{Width - Right}\" y=\"{Height - Bottom + 14}\" text-anchor=\"end\">{E(xHigh)}</text>"))
        .Append(Invariant($"<text x=\"{(Width + Left) / 2}\" y=\"{Height - 12}\" text-anchor=\"middle\">{E(xTitle)}</text>"))
        .Append(Invariant($"<text x=\"{Left - 4}\" y=\"{Height - Bottom}\" text-anchor=\"end\">{E(yLow)}</text><text x=\"{Left - 4}\" y=\"{Top + 8}\" text-anchor=\"end\">{E(yHigh)}</text>"))
        .Append(Invariant($"<text x=\"14\" y=\"{(Height - Bottom + Top) / 2}\" transform=\"rotate(-90 14 {(Height - Bottom + Top) / 2})\" text-anchor=\"middle\">{E(yTitle)}</text>"));

    private static string E(string text) => WebUtility.HtmlEncode(text);

    // Short enough for the axis margin: 698,025 and 0.0123 rather than 698025.371 and 0.012345678.
    private static string Compact(double value) => Math.Abs(value) >= 1000 ? Invariant($"{value:N0}") : Invariant($"{value:0.####}");

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
