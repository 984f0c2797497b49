using WeightShare.Web.Api;

namespace WeightShare.Web.Components.Pages.Compare;

/// <summary>One run on the comparison chart: what it is, what it found, and the name its traces carry.</summary>
/// <param name="Run">The run.</param>
/// <param name="Label">A short name: model, codec and start time, and the notes' first words.</param>
/// <param name="Solutions">Its final solutions (none until it has finished some).</param>
/// <param name="LastFront">Its last generation's front.</param>
/// <param name="Metric">Its metric: runs measured in dB have no place on an accuracy axis.</param>
public sealed record ComparedRun(RunInfo Run, string Label, IReadOnlyList<SolutionInfo> Solutions, IReadOnlyList<WeightShare.Jobs.Events.FrontPoint> LastFront, WeightShare.Engine.Metrics.MetricDefinition Metric);
