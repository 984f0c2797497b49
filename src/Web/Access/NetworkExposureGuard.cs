using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace WeightShare.Web.Access;

/// <summary>
/// Refuses to start a process that listens where other machines can reach it with no access token configured, unless
/// the operator said WeightShare:AllowAnonymousNetworkAccess: anyone on that network could otherwise read every model
/// and fill the disk.
/// </summary>
public sealed class NetworkExposureGuard(IServer server, AccessTokens tokens, IOptions<WebOptions> options) : IHostedLifecycleService
{
    /// <summary>Whether an address the server reports (http://host:port) can only be reached from this machine.</summary>
    public static bool IsLoopback(string address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.StartsWith("http://unix:", StringComparison.OrdinalIgnoreCase) || address.StartsWith("https://unix:", StringComparison.OrdinalIgnoreCase)
            || address.StartsWith("http://pipe:", StringComparison.OrdinalIgnoreCase) || address.StartsWith("https://pipe:", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }
        var host = address;
        var scheme = host.IndexOf("://", StringComparison.Ordinal);
        if (scheme >= 0)
        {
            host = host[(scheme + 3)..];
        }
        host = host.Split('/')[0];
        var port = host.LastIndexOf(':');
        if (port > host.LastIndexOf(']'))
        {
            host = host[..port];
        }
        host = host.Trim('[', ']');
        return host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || (IPAddress.TryParse(host, out var ip) && IPAddress.IsLoopback(ip));
    }

    /// <summary>Whether the server listens where other machines reach it with neither a token nor permission to go without.</summary>
    public bool RefusesAnonymousAccess => !tokens.Required && !options.Value.AllowAnonymousNetworkAccess && Exposed().Length > 0;

    public Task StartedAsync(CancellationToken cancellationToken)
    {
        var exposed = Exposed();
        if (exposed.Length > 0 && !tokens.Required && !options.Value.AllowAnonymousNetworkAccess)
        {
            throw new InvalidOperationException(
                $"WeightShareWeb listens on {string.Join(", ", exposed)}, which other machines can reach, and has no access token. " +
                "Set one (for example the environment variable WeightShare__AccessTokens__0=<a long random string>; clients then send " +
                "'Authorization: Bearer <token>' and browsers sign in at /signin), listen on localhost only, or, to let anyone on that " +
                "network in, set WeightShare:AllowAnonymousNetworkAccess to true.");
        }
        return Task.CompletedTask;
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private string[] Exposed() => server.Features.Get<IServerAddressesFeature>()?.Addresses.Where(a => !IsLoopback(a)).ToArray() ?? [];

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
