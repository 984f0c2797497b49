namespace WeightShare.Engine.Search;

/// <summary>An evaluated decision vector: the integer variables and their objective values (all minimised).</summary>
/// <param name="X">Decision variables.</param>
/// <param name="F">Objective values; infinities are kept when saved as JSON.</param>
public sealed record Individual(
    int[] X,
    [property: System.Text.Json.Serialization.JsonNumberHandling(System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals)]
    double[] F);
