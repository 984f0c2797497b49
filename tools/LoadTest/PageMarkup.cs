using System.Text.Json;
using System.Text.RegularExpressions;

namespace WeightShare.LoadTest;

/// <summary>
/// What a browser reads from a page's HTML before it can show it: the stylesheets and scripts it references (fetched
/// next), and the prerendered Blazor Server components' markers and state, which blazor.web.js hands to the circuit.
/// </summary>
public static partial class PageMarkup
{
    /// <summary>Same-site stylesheet and script addresses, relative to the page's base "/", in document order.</summary>
    public static IReadOnlyList<string> Assets(string html) => [.. AssetPattern().Matches(html)
        .Select(m => m.Groups["url"].Value)
        .Where(url => !url.StartsWith("data:", StringComparison.Ordinal) && !url.Contains("://", StringComparison.Ordinal))
        .Select(url => "/" + url.TrimStart('/'))
        .Distinct(StringComparer.Ordinal)];

    /// <summary>The start markers of the page's interactive server components (<c>&lt;!--Blazor:{"type":"server",…,"descriptor":…}--&gt;</c>).</summary>
    public static IReadOnlyList<JsonElement> ServerComponentMarkers(string html)
    {
        var markers = new List<JsonElement>();
        foreach (Match match in MarkerPattern().Matches(html))
        {
            using var marker = JsonDocument.Parse(match.Groups["json"].Value);
            if (marker.RootElement.TryGetProperty("type", out var type) && type.GetString() == "server" && marker.RootElement.TryGetProperty("descriptor", out _))
            {
                markers.Add(marker.RootElement.Clone());
            }
        }
        return markers;
    }

    /// <summary>The prerendered components' persisted state, or empty when the page carries none.</summary>
    public static string ComponentState(string html) => StatePattern().Match(html) is { Success: true } match ? match.Groups["state"].Value : "";

    [GeneratedRegex("""<(?:link[^>]*\shref|script[^>]*\ssrc)="(?<url>[^"]+)"[^>]*>""", RegexOptions.IgnoreCase)]
    private static partial Regex AssetPattern();

    [GeneratedRegex("""<!--Blazor:(?<json>\{.*?\})-->""", RegexOptions.Singleline)]
    private static partial Regex MarkerPattern();

    [GeneratedRegex("""<!--Blazor-Server-Component-State:(?<state>[^-]*?)-->""")]
    private static partial Regex StatePattern();
}
