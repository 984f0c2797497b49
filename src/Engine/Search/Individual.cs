using System.Text.Json.Serialization;

namespace WeightShare.Engine.Search;

/// <summary>An evaluated decision vector: the integer variables and their objective values (all minimised).</summary>
/// <param name="X">Decision variables.</param>
/// <param name="F">Objective values; infinities survive a JSON round trip.</param>
public sealed record Individual(
    int[] X,
    [property: JsonNumberHandling(JsonNumberHandling.AllowNamedFloatingPointLiterals)] double[] F);
