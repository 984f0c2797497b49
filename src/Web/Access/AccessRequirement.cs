using Microsoft.AspNetCore.Authorization;

namespace WeightShare.Web.Access;

/// <summary>The fallback rule for every endpoint: open when no access token is configured, else only to a signed-in caller.</summary>
public sealed class AccessRequirement : IAuthorizationRequirement
{
}
