using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;

namespace WeightShare.Web.Tests.Infrastructure;

/// <summary>
/// The real host on Kestrel at a free port, for what the in-memory test server cannot show: a request whose body is
/// still arriving, and binding to an address other machines can reach.
/// </summary>
public class KestrelAppFactory : WebAppFactory
{
    public KestrelAppFactory(IReadOnlyDictionary<string, string?> settings, bool anyAddress = false)
        : base(settings)
    {
        UseKestrel(kestrel =>
        {
            // Tests hold request bodies back on purpose; Kestrel's minimum body data rate would reset them after 5 s.
            kestrel.Limits.MinRequestBodyDataRate = null;
            if (anyAddress)
            {
                kestrel.ListenAnyIP(0);
            }
            else
            {
                kestrel.Listen(System.Net.IPAddress.Loopback, 0);
            }
        });
    }

    /// <summary>Starts the server on first use and answers its address on this machine, for example http://127.0.0.1:40123/.</summary>
    public Uri ServerAddress
    {
        get
        {
            StartServer();
            var address = Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
            var port = new Uri(address.Replace("[::]", "localhost", StringComparison.Ordinal).Replace("0.0.0.0", "localhost", StringComparison.Ordinal)).Port;
            return new Uri($"http://127.0.0.1:{port}/");
        }
    }

    /// <summary>A client of the real server, with no cookies kept and no redirect followed.</summary>
    public HttpClient CreateSocketClient() => new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = ServerAddress };
}
