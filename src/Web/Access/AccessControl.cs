using System.Net;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using WeightShare.Web.Hosting;

namespace WeightShare.Web.Access;

/// <summary>
/// Optional access tokens (WeightShare:AccessTokens): when any is configured, every endpoint, page, hub and the job
/// dashboard needs one. Scripts send it as a bearer header; browsers sign in once at /signin and carry a cookie.
/// Static files, /health and the sign-in page stay open.
/// </summary>
public static class AccessControl
{
    /// <summary>The default scheme: a bearer token when the request carries one, else the sign-in cookie.</summary>
    public const string Scheme = "Access";

    /// <summary>The bearer token scheme.</summary>
    public const string TokenScheme = "AccessToken";

    /// <summary>The sign-in cookie's claim holding the hash of the token it was made with.</summary>
    public const string TokenClaim = "weightshare:token";

    /// <summary>Where browsers sign in.</summary>
    public const string SignInPath = "/signin";

    public static IServiceCollection AddAccessControl(this IServiceCollection services)
    {
        services.AddSingleton<AccessTokens>();
        services.AddSingleton<NetworkExposureGuard>();
        services.AddHostedService(provider => provider.GetRequiredService<NetworkExposureGuard>());
        services.AddSingleton<IAuthorizationHandler, AccessRequirementHandler>();
        services.AddAuthentication(Scheme)
            .AddPolicyScheme(Scheme, "Access token or sign-in cookie", policy => policy.ForwardDefaultSelector =
                context => AccessTokenHandler.TokenOf(context.Request) is null ? CookieAuthenticationDefaults.AuthenticationScheme : TokenScheme)
            .AddScheme<AuthenticationSchemeOptions, AccessTokenHandler>(TokenScheme, null)
            .AddCookie(cookie =>
            {
                cookie.LoginPath = SignInPath;
                cookie.Cookie.Name = "WeightShare.Access";
                cookie.Cookie.HttpOnly = true;
                cookie.Cookie.SameSite = SameSiteMode.Lax;
                cookie.ExpireTimeSpan = TimeSpan.FromHours(12);
                cookie.SlidingExpiration = true;
                // A cookie names the token it was signed in with: once that token is no longer configured, it opens nothing.
                cookie.Events.OnValidatePrincipal = async context =>
                {
                    var tokens = context.HttpContext.RequestServices.GetRequiredService<AccessTokens>();
                    if (!tokens.AcceptsHash(context.Principal?.FindFirst(TokenClaim)?.Value))
                    {
                        context.RejectPrincipal();
                        await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
                    }
                };
                // Scripts and hub clients get a 401 problem, not a redirect to a page they cannot fill in.
                cookie.Events.OnRedirectToLogin = context => IsForScripts(context.Request)
                    ? AccessTokenHandler.WriteChallengeAsync(context.HttpContext)
                    : RedirectAsync(context);
            });
        services.AddAuthorizationBuilder().SetFallbackPolicy(new AuthorizationPolicyBuilder().AddRequirements(new AccessRequirement()).Build());
        return services;
    }

    /// <summary>The sign-in page and its form.</summary>
    public static IEndpointRouteBuilder MapSignIn(this IEndpointRouteBuilder routes)
    {
        routes.MapGet(SignInPath, (HttpContext context, IAntiforgery antiforgery, AccessTokens tokens, string? returnUrl) =>
                SignInPage(context, antiforgery, tokens, returnUrl, failed: false))
            .AllowAnonymous().ExcludeFromDescription();
        routes.MapPost(SignInPath, async (HttpContext context, IAntiforgery antiforgery, AccessTokens tokens, [FromForm] string? token, [FromForm] string? returnUrl) =>
            {
                if (!tokens.Accepts(token))
                {
                    return SignInPage(context, antiforgery, tokens, returnUrl, failed: true);
                }
                var identity = new System.Security.Claims.ClaimsIdentity(
                    [new System.Security.Claims.Claim(System.Security.Claims.ClaimTypes.Name, "browser"), new System.Security.Claims.Claim(TokenClaim, AccessTokens.HashOf(token!))],
                    CookieAuthenticationDefaults.AuthenticationScheme);
                await context.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, new System.Security.Claims.ClaimsPrincipal(identity));
                return Results.LocalRedirect(IsLocal(returnUrl) ? returnUrl! : "/");
            })
            .AllowAnonymous().ExcludeFromDescription();
        return routes;
    }

    /// <summary>Whether a request is for an address scripts use (the API, the hub, the OpenAPI document), not a page.</summary>
    public static bool IsForScripts(HttpRequest request) =>
        request.Path.StartsWithSegments("/api") || request.Path.StartsWithSegments("/hubs") || request.Path.StartsWithSegments("/openapi");

    private static Task RedirectAsync(RedirectContext<CookieAuthenticationOptions> context)
    {
        context.Response.Redirect(context.RedirectUri);
        return Task.CompletedTask;
    }

    // A path on this site: one leading slash, no scheme-relative "//" or "/\", no control characters anywhere.
    private static bool IsLocal(string? url) =>
        !string.IsNullOrEmpty(url) && url[0] == '/' && (url.Length == 1 || (url[1] != '/' && url[1] != '\\')) && !url.Any(char.IsControl);

    private static IResult SignInPage(HttpContext context, IAntiforgery antiforgery, AccessTokens tokens, string? returnUrl, bool failed)
    {
        var form = antiforgery.GetAndStoreTokens(context);
        var message = !tokens.Required
            ? "<p>This server needs no access token.</p>"
            : failed ? "<p class=\"error\">That is not an access token this server accepts.</p>" : "";
        var card = $$"""
            <form method="post" action="{{SignInPath}}">
              <h1>WeightShareWeb</h1>
              {{message}}
              <label for="token">Access token</label>
              <input id="token" name="token" type="password" autocomplete="current-password" autofocus required>
              <input type="hidden" name="{{WebUtility.HtmlEncode(form.FormFieldName)}}" value="{{WebUtility.HtmlEncode(form.RequestToken)}}">
              <input type="hidden" name="returnUrl" value="{{WebUtility.HtmlEncode(IsLocal(returnUrl) ? returnUrl : "/")}}">
              <button type="submit">Sign in</button>
              <p class="hint">The operator configured the tokens (WeightShare:AccessTokens). Scripts send one as "Authorization: Bearer &lt;token&gt;".</p>
            </form>
            """;
        var html = PlainPage.Html("Sign in", card, """
            label { display: block; margin-bottom: .4rem; }
            input[type=password] { width: 100%; box-sizing: border-box; padding: .6rem; font-size: 1rem; margin-bottom: 1rem; }
            button { background: #594ae2; color: #fff; border: 0; padding: .6rem 1.2rem; font-size: 1rem; border-radius: 4px; cursor: pointer; }
            .error { color: #b00020; } .hint { color: #666; font-size: .9rem; }
            """);
        return Results.Content(html, "text/html; charset=utf-8", statusCode: failed ? StatusCodes.Status401Unauthorized : StatusCodes.Status200OK);
    }
}
