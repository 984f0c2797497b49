using Microsoft.AspNetCore.Authorization;

namespace WeightShare.Web.Access;

/// <summary>Meets <see cref="AccessRequirement"/> when no token is configured or the caller authenticated.</summary>
public sealed class AccessRequirementHandler(AccessTokens tokens) : AuthorizationHandler<AccessRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, AccessRequirement requirement)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!tokens.Required || context.User.Identity?.IsAuthenticated == true)
        {
            context.Succeed(requirement);
        }
        return Task.CompletedTask;
    }
}
