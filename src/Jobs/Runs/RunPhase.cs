namespace WeightShare.Jobs.Runs;

/// <summary>The phase a run is in or resumes at; each one's results are committed before the next starts.</summary>
public enum RunPhase
{
    Baseline,
    Search,
    Merge,
    Finish,
    Done,
}
