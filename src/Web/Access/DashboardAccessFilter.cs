using Hangfire.Dashboard;

namespace WeightShare.Web.Access;

/// <summary>
/// The job dashboard follows the app's rule: with access tokens configured, only a signed-in caller (from any
/// machine); without, local requests, or every request when WeightShare:DashboardRemoteAccess is on.
/// </summary>
public sealed class DashboardAccessFilter(AccessTokens tokens, bool remoteAccess) : IDashboardAuthorizationFilter
{
    private static readonly LocalRequestsOnlyAuthorizationFilter LocalOnly = new();

    public bool Authorize(DashboardContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (tokens.Required)
        {
            return context.GetHttpContext().User.Identity?.IsAuthenticated == true;
        }
        return remoteAccess || LocalOnly.Authorize(context);
    }
}
