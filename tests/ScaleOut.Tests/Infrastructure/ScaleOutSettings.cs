namespace WeightShare.ScaleOut.Tests.Infrastructure;

/// <summary>The environment of a scale-out process (README "Scaling out"): PostgreSQL storage and one shared data directory.</summary>
public static class ScaleOutSettings
{
    /// <summary>Settings for a process on <paramref name="database"/> sharing <paramref name="shared"/>, running <paramref name="workerCount"/> runs at once.</summary>
    public static Dictionary<string, string> For(PostgresDatabase database, string shared, int workerCount) => new()
    {
        ["WeightShare__Storage"] = "PostgreSql",
        ["WeightShare__PostgreSqlConnection"] = database.ConnectionString,
        ["WeightShare__DataDirectory"] = Path.Combine(shared, "data"),
        ["WeightShare__WorkerCount"] = workerCount.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["WeightShare__QueuePollInterval"] = "00:00:01",
    };
}
