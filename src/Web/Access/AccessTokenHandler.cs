using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace WeightShare.Web.Access;

/// <summary>
/// Authenticates scripts and hub clients by an access token: "Authorization: Bearer &lt;token&gt;", or for the hub's
/// WebSocket, which cannot send headers from a browser, the access_token query parameter on /hubs.
/// </summary>
public sealed class AccessTokenHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, AccessTokens tokens)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    /// <summary>The token the request carries, if any.</summary>
    public static string? TokenOf(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var header = request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return header["Bearer ".Length..].Trim();
        }
        return request.Path.StartsWithSegments("/hubs") && request.Query.TryGetValue("access_token", out var query) ? query.ToString() : null;
    }

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var token = TokenOf(Request);
        if (token is null)
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }
        if (!tokens.Accepts(token))
        {
            return Task.FromResult(AuthenticateResult.Fail("The access token is not one this server accepts."));
        }
        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, "token")], Scheme.Name);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name)));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties) => WriteChallengeAsync(Context);

    /// <summary>The answer to a script without a good token: 401, WWW-Authenticate: Bearer, and a problem that says what to send.</summary>
    public static async Task WriteChallengeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        context.Response.Headers.WWWAuthenticate = "Bearer";
        await context.RequestServices.GetRequiredService<IProblemDetailsService>().TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = new Microsoft.AspNetCore.Mvc.ProblemDetails
            {
                Status = StatusCodes.Status401Unauthorized,
                Detail = TokenOf(context.Request) is null
                    ? "This server needs an access token: send 'Authorization: Bearer <token>' (browsers sign in at /signin)."
                    : "The access token is not one this server accepts.",
            },
        });
    }
}
