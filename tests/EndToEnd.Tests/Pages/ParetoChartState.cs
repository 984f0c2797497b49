namespace WeightShare.EndToEnd.Tests.Pages;

/// <summary>One look at the Pareto chart: the generation it shows, its point counts, and the markers on screen.</summary>
public sealed record ParetoChartState(int Generation, int Evaluated, int Front, int Markers);
