namespace WeightShare.Engine.Pipeline;

/// <summary>The phases of a run, in order; a run resumes at the phase it had not finished.</summary>
public enum PipelinePhase
{
    /// <summary>Measuring the uploaded model on both splits.</summary>
    Baseline,

    /// <summary>NSGA-II over the codec's genes, one stored generation at a time.</summary>
    Search,

    /// <summary>Choosing the front points to keep and refining those that hold the baseline (the paper: merging bins).</summary>
    Refine,

    /// <summary>Measuring every kept solution on the test split and writing its files.</summary>
    Finish,

    /// <summary>Nothing left to do.</summary>
    Done,
}
