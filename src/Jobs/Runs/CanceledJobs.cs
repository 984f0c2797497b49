using Hangfire;
using Microsoft.Extensions.Logging;

namespace WeightShare.Jobs.Runs;

/// <summary>What a canceled run's Hangfire job becomes: Deleted in the dashboard, not a success past or to come.</summary>
internal static class CanceledJobs
{
    /// <summary>Deletes the job (best effort: the run is Canceled in the database either way; only the dashboard's label is at stake).</summary>
    public static void Delete(IBackgroundJobClient jobs, string? jobId, ILogger logger)
    {
        if (jobId is null)
        {
            return;
        }
        try
        {
            jobs.Delete(jobId);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "Marking Hangfire job {JobId} of a canceled run as deleted failed.", jobId);
        }
    }
}
