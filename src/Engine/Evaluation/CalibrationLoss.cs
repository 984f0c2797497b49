namespace WeightShare.Engine.Evaluation;

/// <summary>What calibration (fine-tuning) minimises.</summary>
public enum CalibrationLoss
{
    /// <summary>The KL divergence from the uploaded model's outputs: needs no labels.</summary>
    Distillation,

    /// <summary>Cross-entropy with the calibration split's labels.</summary>
    Labels,
}
