using WeightShare.Engine.Codecs;
using WeightShare.Engine.Metrics;

namespace WeightShare.Engine.Compression;

/// <summary>A run's settings with nothing left open, and what follows from them.</summary>
/// <param name="Settings">The settings as the run stores them: codec, metric, population, patience, objective,
/// calibration samples and device filled in.</param>
/// <param name="Codec">A configured instance of the run's codec.</param>
/// <param name="Metric">The run's metric.</param>
/// <param name="Calibrates">True when the run calibrates its front points (on a calibration split carved from the data).</param>
public sealed record ResolvedSettings(RunSettings Settings, WeightCodec Codec, MetricDefinition Metric, bool Calibrates)
{
    /// <summary>Calibration samples the run carves from the data (0 when it does not calibrate).</summary>
    public int CalibrationSamples => Settings.Calibration.Samples ?? 0;
}
