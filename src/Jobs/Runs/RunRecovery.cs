using Hangfire;
using Hangfire.States;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using WeightShare.Jobs.Data;

namespace WeightShare.Jobs.Runs;

/// <summary>
/// Enqueues again every run left Queued or Running whose Hangfire job is gone: with in-memory storage that
/// is every unfinished run after a restart; with PostgreSQL, jobs Hangfire still holds are left to Hangfire.
/// </summary>
public sealed class RunRecovery(
    IDbContextFactory<WeightShareDbContext> contexts,
    RunCommands commands,
    JobStorage storage,
    ILogger<RunRecovery> logger)
{
    private static readonly string[] LiveStates = [EnqueuedState.StateName, ProcessingState.StateName, ScheduledState.StateName, AwaitingState.StateName];

    /// <summary>Returns the ids of the runs enqueued again.</summary>
    public async Task<IReadOnlyList<string>> RecoverAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var unfinished = await db.Runs
            .Where(r => RunStatuses.Unfinished.Contains(r.Status))
            .OrderBy(r => r.CreatedAt)
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        var recovered = new List<string>();
        foreach (var run in unfinished)
        {
            if (run.JobId is not null && IsLive(run.JobId))
            {
                continue;
            }
            run.JobId = commands.Enqueue(run.Id);
            recovered.Add(run.Id);
            logger.LogInformation("Run {RunId} ({Status}, generation {Generation}) enqueued again as job {JobId}.", run.Id, run.Status, run.Generation, run.JobId);
        }
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return recovered;
    }

    private bool IsLive(string jobId)
    {
        using var connection = storage.GetConnection();
        var state = connection.GetStateData(jobId)?.Name;
        return state is not null && LiveStates.Contains(state, StringComparer.OrdinalIgnoreCase);
    }
}
