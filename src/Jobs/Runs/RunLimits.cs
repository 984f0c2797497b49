using WeightShare.Engine;

namespace WeightShare.Jobs.Runs;

/// <summary>Bounds on what a user may store with a run.</summary>
public static class RunLimits
{
    /// <summary>Characters a run's notes may hold.</summary>
    public const int NotesLength = 2000;

    /// <summary>
    /// Notes as stored: trimmed, null when blank; longer than <see cref="NotesLength"/> is an
    /// <see cref="InvalidInputException"/> that says so.
    /// </summary>
    public static string? Notes(string? notes)
    {
        notes = string.IsNullOrWhiteSpace(notes) ? null : notes.Trim();
        return notes?.Length > NotesLength
            ? throw new InvalidInputException($"notes may hold at most {NotesLength} characters; these have {notes.Length}.")
            : notes;
    }
}
