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

    /// <summary>Top-1 agreement with the uploaded model's own predictions (a classifier; no labels needed).</summary>
    Agreement,

    /// <summary>
    /// The signal-to-noise ratio of the model's outputs against the uploaded model's, as dB / 100 like
    /// <see cref="WeightSnr"/>: any output (regression, embeddings, maps); no labels needed.
    /// </summary>
    OutputFidelity,
}
