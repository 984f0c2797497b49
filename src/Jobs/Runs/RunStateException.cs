namespace WeightShare.Jobs.Runs;

/// <summary>The run exists but is not in a state that allows the request (hosts map it to HTTP 409).</summary>
public sealed class RunStateException(string message) : InvalidOperationException(message);
