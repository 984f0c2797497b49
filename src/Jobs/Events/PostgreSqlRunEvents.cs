using WeightShare.Engine.Compression;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Npgsql;
using WeightShare.Jobs.Runs;

namespace WeightShare.Jobs.Events;

/// <summary>
/// A scale-out process's <see cref="IRunEvents"/>: every event becomes a PostgreSQL NOTIFY on
/// <see cref="RunEventEnvelope.Channel"/>, sent after the job's commit on one connection, one at a time, so every web
/// process that LISTENs receives them in the order the job sent them. A notification holds at most 8,000 bytes: a
/// generation travels as its number and a status without its error (the listener reads both from the database);
/// progress and refine steps travel whole, and one too large for a notification is left out.
/// </summary>
public sealed class PostgreSqlRunEvents(IOptions<WeightShareOptions> options) : IRunEvents, IAsyncDisposable
{
    // PostgreSQL's limit on a notification's payload is 8,000 bytes.
    private const int MaxPayloadBytes = 7900;

    private readonly SemaphoreSlim _gate = new(1, 1);
    private NpgsqlConnection? _connection;

    public ValueTask GenerationCompletedAsync(GenerationCompleted generation, CancellationToken cancellationToken) =>
        NotifyAsync(new RunEventEnvelope(RunEventEnvelope.GenerationKind, generation.RunId) { Generation = generation.Generation }, cancellationToken);

    public ValueTask StatusChangedAsync(RunStatusChanged status, CancellationToken cancellationToken) =>
        NotifyAsync(new RunEventEnvelope(RunEventEnvelope.StatusKind, status.RunId) { Status = status with { Error = null } }, cancellationToken);

    public ValueTask MergeStepAsync(MergeStepCompleted mergeStep, CancellationToken cancellationToken) =>
        NotifyAsync(new RunEventEnvelope(RunEventEnvelope.MergeKind, mergeStep.RunId) { Merge = mergeStep }, cancellationToken);

    public ValueTask ProgressAsync(RunProgress progress, CancellationToken cancellationToken) =>
        NotifyAsync(new RunEventEnvelope(RunEventEnvelope.ProgressKind, progress.RunId) { Progress = progress }, cancellationToken);

    private async ValueTask NotifyAsync(RunEventEnvelope envelope, CancellationToken cancellationToken)
    {
        var payload = JsonSerializer.Serialize(envelope, RunSettings.Json);
        if (System.Text.Encoding.UTF8.GetByteCount(payload) > MaxPayloadBytes)
        {
            // A codec with very many genes could make a step this large; the database holds what it reports.
            return;
        }
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
                catch (NpgsqlException e) when (attempt < 2 && e is not PostgresException)
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
