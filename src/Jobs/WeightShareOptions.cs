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

    /// <summary>The SQLite database file.</summary>
    public string DatabasePath => Path.Combine(Path.GetFullPath(DataDirectory), "weightshare.db");

    /// <summary>The root of the content-addressed file store.</summary>
    public string FilesDirectory => Path.Combine(Path.GetFullPath(DataDirectory), "files");
}
