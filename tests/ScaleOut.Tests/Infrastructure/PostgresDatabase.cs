using Npgsql;

namespace WeightShare.ScaleOut.Tests.Infrastructure;

/// <summary>
/// A fresh database on the PostgreSQL server named by WSW_POSTGRES (a connection string of a role that may create
/// databases; .ci/run starts Debian's server and sets it), dropped again at the end. Without the variable the tests fail
/// with a message saying so, rather than skipping.
/// </summary>
public sealed class PostgresDatabase : IAsyncDisposable
{
    public const string Variable = "WSW_POSTGRES";

    private readonly string _admin;

    private PostgresDatabase(string admin, string name)
    {
        _admin = admin;
        Name = name;
        ConnectionString = new NpgsqlConnectionStringBuilder(admin) { Database = name }.ConnectionString;
    }

    public string Name { get; }

    /// <summary>The connection string every process of the test is given.</summary>
    public string ConnectionString { get; }

    public static async Task<PostgresDatabase> CreateAsync()
    {
        var admin = Environment.GetEnvironmentVariable(Variable);
        Assert.False(string.IsNullOrWhiteSpace(admin),
            $"The scale-out tests need a PostgreSQL server: set {Variable} to the connection string of a role that may create databases (.ci/run starts Debian's postgresql and sets it, see README 'Scaling out').");
        var database = new PostgresDatabase(admin!, "wsw_test_" + Guid.NewGuid().ToString("N")[..12]);
        await using var connection = new NpgsqlConnection(admin);
        await connection.OpenAsync();
        await using var create = new NpgsqlCommand($"CREATE DATABASE {database.Name}", connection);
        await create.ExecuteNonQueryAsync();
        return database;
    }

    /// <summary>A connection to the test's database, for reading what the processes stored.</summary>
    public async Task<NpgsqlConnection> OpenAsync()
    {
        var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(_admin);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {Name} WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync();
    }
}
