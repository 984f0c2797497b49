namespace WeightShare.Engine.Evaluation;

/// <summary>
/// Ends a calibration whose loss has stopped falling: the steps are taken in blocks of <c>patience</c>, and the
/// calibration stops after a block whose mean loss is not at least <c>minImprovement</c> (relative) below the best block
/// mean before it. One batch's loss swings by a fifth from batch to batch; a block's mean over a few thousand samples
/// does not, so the rule neither stops on a lucky batch nor runs on through noise.
/// </summary>
/// <param name="patience">Steps per block; 0 never stops.</param>
/// <param name="minImprovement">The relative fall a block must show against the best block before it.</param>
internal sealed class CalibrationEarlyStop(int patience, double minImprovement)
{
    private double _best = double.PositiveInfinity;
    private double _sum;
    private int _count;

    /// <summary>The mean loss of the last whole block, NaN before the first.</summary>
    public double LastBlockMean { get; private set; } = double.NaN;

    /// <summary>Takes the loss of the step just done; true when the calibration should stop after it.</summary>
    public bool ShouldStop(double loss)
    {
        if (patience <= 0)
        {
            return false;
        }
        _sum += loss;
        if (++_count < patience)
        {
            return false;
        }
        LastBlockMean = _sum / _count;
        (_sum, _count) = (0, 0);
        // A loss that is not finite will not recover: stop rather than spend the rest of the budget on it.
        if (!double.IsFinite(LastBlockMean))
        {
            return true;
        }
        var stalled = LastBlockMean > _best * (1 - minImprovement);
        _best = Math.Min(_best, LastBlockMean);
        return stalled;
    }
}
