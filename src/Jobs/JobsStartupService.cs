using Microsoft.Extensions.Hosting;
using WeightShare.Jobs.Data;
using WeightShare.Jobs.Runs;

namespace WeightShare.Jobs;

/// <summary>At start-up: migrate the database, then enqueue again the runs a stop or crash interrupted.</summary>
public sealed class JobsStartupService(DatabaseMigrator migrator, RunRecovery recovery) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await migrator.MigrateAsync(cancellationToken).ConfigureAwait(false);
        await recovery.RecoverAsync(cancellationToken).ConfigureAwait(false);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
