using System.Text.Json;
using Microsoft.Extensions.Options;
using Npgsql;
using WeightShare.Jobs.Runs;

namespace WeightShare.Jobs.Events;

/// <summary>
/// A scale-out process's <see cref="IRunEvents"/>: every event becomes a PostgreSQL NOTIFY on
/// <see cref="RunEventEnvelope.Channel"/>, sent after the job's commit on one connection, one at a time, so every web
/// process that LISTENs receives them once and in the order the job sent them. A generation travels as its number
/// (a notification holds at most 8,000 bytes; the listener reads the committed row); the rest travel whole.
/// </summary>
public sealed class PostgreSqlRunEvents(IOptions<WeightShareOptions> options) : IRunEvents, IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private NpgsqlConnection? _connection;

    public ValueTask GenerationCompletedAsync(GenerationCompleted generation, CancellationToken cancellationToken) =>
        NotifyAsync(new RunEventEnvelope(RunEventEnvelope.GenerationKind, generation.RunId) { Generation = generation.Generation }, cancellationToken);

    public ValueTask StatusChangedAsync(RunStatusChanged status, CancellationToken cancellationToken) =>
        NotifyAsync(new RunEventEnvelope(RunEventEnvelope.StatusKind, status.RunId) { Status = status }, cancellationToken);

    public ValueTask MergeStepAsync(MergeStepCompleted mergeStep, CancellationToken cancellationToken) =>
        NotifyAsync(new RunEventEnvelope(RunEventEnvelope.MergeKind, mergeStep.RunId) { Merge = mergeStep }, cancellationToken);

    public ValueTask ProgressAsync(RunProgress progress, CancellationToken cancellationToken) =>
        NotifyAsync(new RunEventEnvelope(RunEventEnvelope.ProgressKind, progress.RunId) { Progress = progress }, cancellationToken);

    private async ValueTask NotifyAsync(RunEventEnvelope envelope, CancellationToken cancellationToken)
    {
        var payload = JsonSerializer.Serialize(envelope, RunSettings.Json);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    _connection ??= await OpenAsync(cancellationToken).ConfigureAwait(false);
                    await using var command = new NpgsqlCommand("SELECT pg_notify(@channel, @payload)", _connection);
                    command.Parameters.AddWithValue("channel", RunEventEnvelope.Channel);
                    command.Parameters.AddWithValue("payload", payload);
                    await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                    return;
                }
                catch (NpgsqlException) when (attempt < 2)
                {
                    // A connection the server dropped (a restart, an idle timeout): open a new one once.
                    await DropConnectionAsync().ConfigureAwait(false);
                }
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new NpgsqlConnection(options.Value.PostgreSqlConnection);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        return connection;
    }

    private async Task DropConnectionAsync()
    {
        if (_connection is { } connection)
        {
            _connection = null;
            await connection.DisposeAsync().ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await DropConnectionAsync().ConfigureAwait(false);
        _gate.Dispose();
    }
}
