using Microsoft.AspNetCore.Components;
using WeightShare.Web.Api;
using WeightShare.Web.Components.Shared;

namespace WeightShare.Web.Components.Pages.Compare;

/// <summary>Two or more runs' fronts on one chart: /compare?runs=id1,id2,…</summary>
public partial class ComparePage
{
    /// <summary>At most this many runs on one chart: more lines than that cannot be told apart.</summary>
    public const int MaxRuns = 8;

    private IReadOnlyList<ComparedRun>? _runs;
    private string? _problem;

    [Inject] private RunQueries Queries { get; set; } = default!;

    [Inject] private WeightShare.Engine.Metrics.MetricRegistry Metrics { get; set; } = default!;

    [SupplyParameterFromQuery(Name = "runs")] public string? RunIds { get; set; }

    protected override async Task OnParametersSetAsync()
    {
        var ids = (RunIds ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct(StringComparer.Ordinal).ToArray();
        var runs = new List<ComparedRun>();
        _problem = ids.Length switch
        {
            < 2 => "Choose at least two different runs to compare: tick them in the runs list and press Compare.",
            > MaxRuns => $"At most {MaxRuns} runs can be compared at once; {ids.Length} were asked for.",
            _ => null,
        };
        foreach (var id in _problem is null ? ids : [])
        {
            if (await Queries.RunAsync(id) is not { } run)
            {
                _problem = $"There is no run with id {id}.";
                break;
            }
            var model = await Queries.ModelAsync(run.ModelId);
            var generations = await Queries.GenerationsAsync(id) ?? [];
            var label = $"{model?.FileName ?? run.ModelId} · {run.Settings.Codec} · {Format.Time(run.CreatedAt)}";
            if (run.Notes is { Length: > 0 } notes)
            {
                label += " · " + (notes.Length > 40 ? notes[..40] + "…" : notes);
            }
            runs.Add(new ComparedRun(run, label, await Queries.SolutionsAsync(id) ?? [], generations.Count > 0 ? generations[^1].Front : [], Metrics.Named(run.Settings.Metric)));
        }
        _runs = runs;
    }

    // The recommended solution's (chosen on validation intervals), as on the runs list.
    private static double? RecommendedRatio(ComparedRun run) => run.Solutions.FirstOrDefault(s => s.Recommended)?.FileCompressionRatio;
}
