using WeightShare.Engine.Compression;
using System.Text.Json;
using System.Text.Json.Serialization;
using WeightShare.Jobs.Runs;

namespace WeightShare.Web.Api;

/// <summary>
/// How request bodies are read: as stored settings are, except that a field the contract does not have is an error
/// naming it, so a misspelt setting is refused instead of silently keeping its default.
/// </summary>
public static class StrictJson
{
    public static JsonSerializerOptions Options { get; } = new(RunSettings.Json) { UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow };
}
