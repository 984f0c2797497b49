namespace WeightShare.Jobs.Runs;

/// <summary>Bounds on what a user may store with a run.</summary>
public static class RunLimits
{
    /// <summary>Characters a run's notes may hold.</summary>
    public const int NotesLength = 2000;
}
