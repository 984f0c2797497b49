using Scalar.AspNetCore;

namespace WeightShare.Web.Api;

/// <summary>/api-explorer: Scalar's reference and client over /openapi/v1.json, with nothing fetched or sent off this server.</summary>
internal static class ApiExplorer
{
    /// <summary>
    /// Sets Scalar's sidebar heading for the document's schemas; its default, "Models", reads as a second copy of the
    /// Models tag. A module because Scalar.AspNetCore has no option for it (its JavaScript takes the setting as is).
    /// </summary>
    private const string ConfigurationModule = "/js/api-explorer.js";

    // The explorer is a page like the others (behind sign-in when tokens are configured).
    public static IEndpointRouteBuilder MapApiExplorer(this IEndpointRouteBuilder routes)
    {
        routes.MapScalarApiReference("/api-explorer", explorer =>
        {
            explorer.WithTitle("WeightShareWeb API");
            // The app must work offline and keep what users try to itself: fonts fall back to the system's (Scalar's
            // default fonts come from fonts.scalar.com), no telemetry, and "Test Request" never goes through Scalar's
            // hosted proxy (proxy.scalar.com, the default of some of its client's layouts), which would see a
            // caller's bearer token: an empty proxy URL pins that off.
            explorer.DefaultFonts = false;
            explorer.Telemetry = false;
            explorer.ProxyUrl = "";
            // Scalar's hosted services (AI chat, MCP, its developer toolbar's Deploy and Generate SDK) have nothing to
            // do with this API.
            explorer.Agent = new ScalarAgentOptions { Disabled = true };
            explorer.Mcp = new ScalarMcpOptions { Disabled = true };
            explorer.ShowDeveloperTools = DeveloperToolsVisibility.Never;
            explorer.JavaScriptConfiguration = ConfigurationModule;
        });
        return routes;
    }
}
