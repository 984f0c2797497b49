using System.Globalization;
using System.Text;

namespace WeightShare.LoadTest;

/// <summary>The report as markdown, in the shape of docs/benchmarks.md's tables.</summary>
public static class ReportTable
{
    public static string Render(LoadReport report)
    {
        var o = report.Options;
        var text = new StringBuilder();
        Line(text, $"Load: {o.Browsers} browsers (think {o.ThinkMilliseconds} ms, circuits {(o.Circuits ? "on" : "off")}), {o.Uploads} uploaders, {o.Downloads} downloaders, 2 runs of {o.Generations} generations; driven {report.LoadSeconds:F0} s; {(report.Held ? "held: no error, both fronts as alone" : "NOT held")}.");
        text.AppendLine();
        text.AppendLine("| request | ok | 429 | errors | p50 ms | p99 ms | max ms |");
        text.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var r in report.Requests)
        {
            Line(text, $"| {r.Kind} | {r.Succeeded:N0} | {r.Throttled:N0} | {r.Errors:N0} | {Ms(r.P50Milliseconds)} | {Ms(r.P99Milliseconds)} | {Ms(r.MaxMilliseconds)} |");
        }
        var errors = report.Requests.SelectMany(r => r.ErrorsByKind.Select(e => $"{r.Kind}: {e.Key} × {e.Value}")).ToList();
        if (errors.Count > 0)
        {
            text.AppendLine();
            text.AppendLine("Errors:");
            foreach (var e in errors)
            {
                text.AppendLine("- " + e);
            }
        }

        var m = report.Memory;
        text.AppendLine();
        text.AppendLine("| server memory (RSS) | MiB |");
        text.AppendLine("| --- | ---: |");
        Line(text, $"| idle after start and the fixtures' upload | {MiB(m.IdleAfterStart)} |");
        Line(text, $"| idle after the two runs alone, before the load | {MiB(m.IdleBeforeLoad)} |");
        Line(text, $"| peak sampled during the load | {MiB(m.PeakDuringLoad)} |");
        Line(text, $"| 5 s after the load | {MiB(m.AfterLoad)} |");
        Line(text, $"| VmHWM (peak of the process's life) | {MiB(m.HighWaterMark)} |");

        text.AppendLine();
        text.AppendLine("| run | alone | under load | finished within the load | same front as alone |");
        text.AppendLine("| --- | --- | --- | --- | --- |");
        foreach (var r in report.Runs)
        {
            Line(text, $"| {r.Plan} | {r.Alone.Status}, {r.Alone.Seconds:F1} s, {r.Alone.Lines.Count} lines | {r.UnderLoad.Status}, {r.UnderLoad.Seconds:F1} s, {r.UnderLoad.Lines.Count} lines | {(r.FinishedWithinLoad ? "yes" : "no")} | {(r.SameFront ? "yes" : "NO")} |");
        }
        text.AppendLine();
        Line(text, $"Server log lines marked fail/crit: {report.ServerFailures.Count}.");
        foreach (var f in report.ServerFailures.Take(10))
        {
            text.AppendLine("- " + f);
        }
        Line(text, $"Server log lines marked warn: {report.ServerWarnings.Count}.");
        foreach (var w in report.ServerWarnings.GroupBy(w => w, StringComparer.Ordinal).Take(10))
        {
            Line(text, $"- {w.Key} (× {w.Count()})");
        }
        return text.ToString();
    }

    private static void Line(StringBuilder text, FormattableString line) => text.AppendLine(line.ToString(CultureInfo.InvariantCulture));

    private static string Ms(double? value) => value is { } v ? v.ToString(v < 10 ? "F1" : "F0", CultureInfo.InvariantCulture) : "-";

    private static string MiB(long bytes) => (bytes / 1048576.0).ToString("F0", CultureInfo.InvariantCulture);
}
