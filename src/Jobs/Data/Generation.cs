namespace WeightShare.Jobs.Data;

/// <summary>One committed NSGA-II generation with the state the search resumes from.</summary>
public sealed class Generation
{
    public long Id { get; set; }

    public required string RunId { get; set; }

    /// <summary>1-based; unique within a run, so a re-run job cannot write a generation twice.</summary>
    public int Number { get; set; }

    public double? Hypervolume { get; set; }

    /// <summary>Evaluations computed so far (cumulative).</summary>
    public int Evaluations { get; set; }

    /// <summary>Evaluations answered from the cache so far (cumulative).</summary>
    public int CacheHits { get; set; }

    /// <summary>JSON array of <see cref="Events.FrontPoint"/>.</summary>
    public required string PopulationJson { get; set; }

    /// <summary>JSON array of <see cref="Events.FrontPoint"/>.</summary>
    public required string FrontJson { get; set; }

    /// <summary>The Engine's Nsga2State as JSON.</summary>
    public required string StateJson { get; set; }

    public DateTime CreatedAt { get; set; } = DateTime.UtcNow;
}
