namespace WeightShare.Engine.Compression;

/// <summary>The phases of a run, in order.</summary>
public enum CompressionPhase
{
    Baseline,
    Search,
    Merge,
    Finish,
}

/// <summary>A progress tick: which phase, how far through it (0..1), and a line a person can read.</summary>
public sealed record CompressionProgress(CompressionPhase Phase, double Fraction, string Message);
