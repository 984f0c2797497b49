using WeightShare.Engine.Compression;
using WeightShare.Engine.Pipeline;
using WeightShare.Jobs.Runs;

namespace WeightShare.Jobs.Data;

/// <summary>One compression run: its settings, where it stands, and what it has measured so far.</summary>
public sealed class Run
{
    public string Id { get; set; } = NewId.Next();

    public required string ModelId { get; set; }

    public Model? Model { get; set; }

    /// <summary>The dataset the run measures on; null for a data-free run (metric weightSnr).</summary>
    public string? DatasetId { get; set; }

    public Dataset? Dataset { get; set; }

    /// <summary>The <see cref="RunSettings"/> as JSON.</summary>
    public required string SettingsJson { get; set; }

    public RunStatus Status { get; set; } = RunStatus.Queued;

    /// <summary>The phase to do next; earlier phases' results are in the database.</summary>
    public PipelinePhase Phase { get; set; } = PipelinePhase.Baseline;

    /// <summary>Set by a cancel request from any process; the job polls it.</summary>
    public bool CancelRequested { get; set; }

    /// <summary>Set by "Stop and keep" from any process: the search ends at its last stored generation, the run goes on.</summary>
    public bool StopSearchRequested { get; set; }

    /// <summary>The user's notes on the run, shown in the runs list; editable at any time.</summary>
    public string? Notes { get; set; }

    /// <summary>The worker (WeightShare:WorkerName) that executes or last executed the run.</summary>
    public string? Worker { get; set; }

    /// <summary>
    /// The execution (one job's run of the run, a random token) that holds the run; null when none does. A job holding
    /// it renews <see cref="LeaseExpiresAt"/>; any other job, in this process or another, waits for it to lapse.
    /// </summary>
    public string? LeaseToken { get; set; }

    /// <summary>Until when <see cref="LeaseToken"/>'s execution holds the run.</summary>
    public DateTime? LeaseExpiresAt { get; set; }

    /// <summary>The Hangfire job last enqueued for this run, so recovery does not enqueue a live one twice.</summary>
    public string? JobId { get; set; }

    /// <summary>Last committed generation (0 before the first).</summary>
    public int Generation { get; set; }

    public int Generations { get; set; }

    public int Evaluations { get; set; }

    public int CacheHits { get; set; }

    /// <summary>Search evaluations racing stopped before the last validation sample; null for runs stored before racing.</summary>
    public int? RacedEvaluations { get; set; }

    /// <summary>Validation samples the search's evaluations measured, over all of them; null for runs stored before racing.</summary>
    public long? ValidationSamplesEvaluated { get; set; }

    /// <summary>0..1 over the whole run.</summary>
    public double Progress { get; set; }

    public double? BaselineValidationAccuracy { get; set; }

    public double? BaselineTestAccuracy { get; set; }

    public double? BaselineValidationMacroF1 { get; set; }

    public double? BaselineTestMacroF1 { get; set; }

    public long? BaselineSizeBytes { get; set; }

    public double BaselineSeconds { get; set; }

    public double SearchSeconds { get; set; }

    public double RefineSeconds { get; set; }

    public double FinishSeconds { get; set; }

    public string? Error { get; set; }

    public DateTime CreatedAt { get; set; } = DateTime.UtcNow;

    public DateTime? StartedAt { get; set; }

    public DateTime? FinishedAt { get; set; }

    public List<Generation> GenerationRows { get; set; } = [];

    public List<Solution> Solutions { get; set; } = [];

    public bool IsFinal => Status.IsFinal();
}
