using System.Text.Json;

namespace WeightShare.Web.Components.Shared;

/// <summary>Reads the detail out of a problem+json answer for a page to show.</summary>
public static class Problems
{
    public static string DetailOf(int status, string body)
    {
        if (status == 0)
        {
            return "The upload did not reach the server (connection lost).";
        }
        try
        {
            using var json = JsonDocument.Parse(body);
            if (json.RootElement.TryGetProperty("detail", out var detail) && detail.GetString() is { Length: > 0 } text)
            {
                return text;
            }
        }
        catch (JsonException)
        {
            // Not problem+json (a proxy's page, say): fall through to the status.
        }
        return $"The server answered HTTP {status}.";
    }
}
