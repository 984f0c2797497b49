using WeightShare.Engine.Compression;

namespace WeightShare.Engine.Codecs;

/// <summary>The run settings a codec is meant to be used with, where the run leaves them open.</summary>
/// <param name="Objective">The search's second objective.</param>
/// <param name="Patience">Generations of flat hypervolume before the search stops (0 = never).</param>
/// <param name="Calibrates">True when the codec's refinement calibrates its values on a calibration split.</param>
/// <param name="Population">NSGA-II's population.</param>
/// <param name="Racing">True when the search races its evaluations (<see cref="SearchSettings.Racing"/>).</param>
public sealed record CodecDefaults(SizeObjective Objective, int Patience, bool Calibrates, int Population = 100, bool Racing = false);
