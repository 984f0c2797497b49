using Microsoft.AspNetCore.Authorization;

namespace WeightShare.Web.Access;

/// <summary>
/// Meets <see cref="AccessRequirement"/> for an authenticated caller, and for anyone when no token is configured,
/// unless the process listens on the network without permission (it is about to stop: nothing is served meanwhile).
/// </summary>
public sealed class AccessRequirementHandler(AccessTokens tokens, NetworkExposureGuard guard) : AuthorizationHandler<AccessRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, AccessRequirement requirement)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.User.Identity?.IsAuthenticated == true || (!tokens.Required && !guard.RefusesAnonymousAccess))
        {
            context.Succeed(requirement);
        }
        return Task.CompletedTask;
    }
}
