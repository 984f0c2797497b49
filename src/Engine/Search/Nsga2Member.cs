using System.Text.Json.Serialization;

namespace WeightShare.Engine.Search;

/// <summary>
/// A member of a saved population with the non-domination rank and crowding distance it got in environmental
/// selection. Deb et al. keep the crowding distance computed over the whole front before truncation, so it cannot
/// be recomputed from the survivors alone: it is saved to make a resumed run identical.
/// </summary>
/// <param name="X">Decision variables.</param>
/// <param name="F">Objective values.</param>
/// <param name="Rank">Non-domination rank, 0 for the first front.</param>
/// <param name="CrowdingDistance">Crowding distance; boundary members have positive infinity.</param>
public sealed record Nsga2Member(
    int[] X,
    [property: JsonNumberHandling(JsonNumberHandling.AllowNamedFloatingPointLiterals)] double[] F,
    int Rank,
    [property: JsonNumberHandling(JsonNumberHandling.AllowNamedFloatingPointLiterals)] double CrowdingDistance);
