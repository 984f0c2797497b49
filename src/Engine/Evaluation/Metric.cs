namespace WeightShare.Engine.Evaluation;

/// <summary>The validation figure the search and the merge maximise.</summary>
public enum Metric
{
    /// <summary>Top-1 accuracy (the paper's tables).</summary>
    Accuracy,

    /// <summary>Macro-averaged F1 (the authors' earlier code).</summary>
    MacroF1,
}
