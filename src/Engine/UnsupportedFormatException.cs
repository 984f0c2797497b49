namespace WeightShare.Engine;

/// <summary>
/// The file is none of the formats read here (as opposed to a known format with broken content); hosts map it to
/// HTTP 415.
/// </summary>
public sealed class UnsupportedFormatException(string message) : InvalidInputException(message);
