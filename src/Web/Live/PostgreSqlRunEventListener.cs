using WeightShare.Engine.Compression;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;
using WeightShare.Jobs;
using WeightShare.Jobs.Data;
using WeightShare.Jobs.Events;
using WeightShare.Jobs.Runs;

namespace WeightShare.Web.Live;

/// <summary>
/// In a scale-out (WeightShare:Storage PostgreSql), LISTENs to the run events every process NOTIFYs and hands them to
/// this web process's pages and hub clients through <see cref="RunEventsBroadcaster"/>, in the order they arrive.
/// Generations and statuses are read from the committed rows. Once a run's generation has been seen here, one the
/// listener missed (a worker killed between its commit and its notification, or a dropped connection) is filled in
/// from the database before the next, and one seen before is not sent again: each generation once and in order.
/// Statuses, refine steps and progress sent while the connection is down are lost (pages' live feeds, RunView, then
/// read the database on their fallback poll). Does nothing in the embedded mode.
/// </summary>
public sealed class PostgreSqlRunEventListener(
    IOptions<WeightShareOptions> options,
    RunEventsBroadcaster broadcaster,
    IDbContextFactory<WeightShareDbContext> contexts,
    ILogger<PostgreSqlRunEventListener> logger) : BackgroundService
{
    private static readonly TimeSpan Reconnect = TimeSpan.FromSeconds(2);
    private readonly Dictionary<string, int> _lastGeneration = new(StringComparer.Ordinal);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Value.Storage != JobStorageKind.PostgreSql)
        {
            return;
        }
        var received = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        var dispatch = Task.Run(() => DispatchAsync(received.Reader, stoppingToken), CancellationToken.None);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                // Keepalive: a half-open connection (a server restart, a dropped route) fails instead of waiting for ever.
                var connectionString = new NpgsqlConnectionStringBuilder(options.Value.PostgreSqlConnection) { KeepAlive = 15 }.ConnectionString;
                await using var connection = new NpgsqlConnection(connectionString);
                await connection.OpenAsync(stoppingToken);
                connection.Notification += (_, e) => received.Writer.TryWrite(e.Payload);
                await using (var listen = new NpgsqlCommand($"LISTEN {RunEventEnvelope.Channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }
                while (!stoppingToken.IsCancellationRequested)
                {
                    await connection.WaitAsync(stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "Listening for run events on PostgreSQL failed; trying again in {Delay}. Pages fall back to reading the database meanwhile.", Reconnect);
                await Task.Delay(Reconnect, stoppingToken).ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
            }
        }
        received.Writer.TryComplete();
        await dispatch;
    }

    private async Task DispatchAsync(ChannelReader<string> received, CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var payload in received.ReadAllAsync(stoppingToken))
            {
                try
                {
                    await DispatchAsync(JsonSerializer.Deserialize<RunEventEnvelope>(payload, RunSettings.Json)!, stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.LogWarning(e, "A run event from PostgreSQL could not be delivered: {Payload}", payload);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task DispatchAsync(RunEventEnvelope envelope, CancellationToken cancellationToken)
    {
        switch (envelope.Kind)
        {
            case RunEventEnvelope.GenerationKind when envelope.Generation is { } number:
                await DeliverGenerationsAsync(envelope.RunId, number, cancellationToken);
                break;
            case RunEventEnvelope.StatusKind when envelope.Status is { } status:
                // The error travels through the database, not the notification (it may be longer than one can hold).
                await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
                {
                    status = status with { Error = await db.Runs.Where(r => r.Id == status.RunId).Select(r => r.Error).SingleOrDefaultAsync(cancellationToken) };
                }
                await broadcaster.StatusChangedAsync(status, cancellationToken);
                if (status.Status.IsFinal())
                {
                    _lastGeneration.Remove(status.RunId);
                }
                break;
            case RunEventEnvelope.MergeKind when envelope.Merge is { } merge:
                await broadcaster.MergeStepAsync(merge, cancellationToken);
                break;
            case RunEventEnvelope.ProgressKind when envelope.Progress is { } progress:
                await broadcaster.ProgressAsync(progress, cancellationToken);
                break;
        }
    }

    private async Task DeliverGenerationsAsync(string runId, int number, CancellationToken cancellationToken)
    {
        var last = _lastGeneration.TryGetValue(runId, out var seen) ? seen : number - 1;
        if (number <= last)
        {
            return;
        }
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rows = await db.Generations.AsNoTracking()
            .Where(g => g.RunId == runId && g.Number > last && g.Number <= number)
            .OrderBy(g => g.Number)
            .ToListAsync(cancellationToken);
        var generations = await db.Runs.Where(r => r.Id == runId).Select(r => r.Generations).SingleAsync(cancellationToken);
        foreach (var row in rows)
        {
            var info = Api.GenerationInfo.Of(row);
            await broadcaster.GenerationCompletedAsync(
                new GenerationCompleted(runId, row.Number, generations, row.Hypervolume, row.Evaluations, row.CacheHits, info.Population, info.Front)
                {
                    RacedEvaluations = row.RacedEvaluations,
                    ValidationSamplesEvaluated = row.ValidationSamplesEvaluated,
                },
                cancellationToken);
            _lastGeneration[runId] = row.Number;
        }
    }
}
