using Hangfire;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace WeightShare.Web.Health;

/// <summary>Healthy when the Hangfire storage answers (in memory, or the PostgreSQL server when configured).</summary>
public sealed class JobStorageHealthCheck(JobStorage storage) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            storage.GetMonitoringApi().GetStatistics();
            return Task.FromResult(HealthCheckResult.Healthy());
        }
        catch (Exception e)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy("The job storage does not answer.", e));
        }
    }
}
