using WeightShare.Engine.Evaluation;

namespace WeightShare.Jobs;

/// <summary>Settings of the job layer, bound from the "WeightShare" configuration section.</summary>
public sealed class WeightShareOptions
{
    /// <summary>The configuration section these options are read from.</summary>
    public const string SectionName = "WeightShare";

    /// <summary>The one directory holding the SQLite database and every stored file; a relative path resolves under the host's content root.</summary>
    public string DataDirectory { get; set; } = "data";

    /// <summary>Hangfire workers in this process; one run uses the CPU fully, so more runs queue by default.</summary>
    public int WorkerCount { get; set; } = 1;

    /// <summary>Where Hangfire keeps its jobs: in memory (one process) or PostgreSQL (several processes).</summary>
    public JobStorageKind Storage { get; set; } = JobStorageKind.InMemory;

    /// <summary>Npgsql connection string, required when <see cref="Storage"/> is PostgreSql.</summary>
    public string? PostgreSqlConnection { get; set; }

    /// <summary>Where models are evaluated.</summary>
    public ComputeDevice Device { get; set; } = ComputeDevice.Cpu;

    /// <summary>How often a running job looks for a cancel request made by another process.</summary>
    public TimeSpan CancelPollInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Shortest gap between two progress events; generations and status changes are never held back.</summary>
    public TimeSpan ProgressInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The name this process's jobs record on the runs they execute (RunInfo.worker); machine and process id by default.</summary>
    public string WorkerName { get; set; } = $"{Environment.MachineName}-{Environment.ProcessId}";

    /// <summary>
    /// How long a run stays leased to the execution holding it without a renewal (the holder renews it every third of
    /// this); a job that finds a live lease leaves the run to its holder, so two executions never run one run at once.
    /// Shorter than <see cref="JobInvisibilityTimeout"/>, so a killed worker's job, offered again, finds its lease lapsed.
    /// </summary>
    public TimeSpan RunLease { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// PostgreSQL storage: how long a job a worker has taken may go without that worker's heartbeat before another
    /// worker takes it (a killed worker's run continues elsewhere after this).
    /// </summary>
    public TimeSpan JobInvisibilityTimeout { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>PostgreSQL storage: how often idle workers look for a queued job.</summary>
    public TimeSpan QueuePollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>The SQLite database file.</summary>
    public string DatabasePath => Path.Combine(Path.GetFullPath(DataDirectory), "weightshare.db");

    /// <summary>The root of the content-addressed file store.</summary>
    public string FilesDirectory => Path.Combine(Path.GetFullPath(DataDirectory), "files");
}
