namespace WeightShare.Jobs;

/// <summary>The Hangfire job storage a deployment uses.</summary>
public enum JobStorageKind
{
    /// <summary>Jobs live in the web process; unfinished runs are re-enqueued from SQLite on restart.</summary>
    InMemory,

    /// <summary>Jobs live in PostgreSQL, shared by several web and worker processes.</summary>
    PostgreSql,
}
