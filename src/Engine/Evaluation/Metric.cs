namespace WeightShare.Engine.Evaluation;

/// <summary>The validation figure the search and the merge maximise.</summary>
public enum Metric
{
    /// <summary>Top-1 accuracy (the paper's tables).</summary>
    Accuracy,

    /// <summary>Macro-averaged F1 (the authors' earlier code).</summary>
    MacroF1,

    /// <summary>
    /// Data-free: the shared weights' signal-to-noise ratio against the uploaded ones, as dB / 100
    /// (<see cref="WeightFidelity"/>). Needs neither an architecture nor data.
    /// </summary>
    WeightSnr,
}
