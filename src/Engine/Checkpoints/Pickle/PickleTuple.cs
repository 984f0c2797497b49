namespace WeightShare.Engine.Checkpoints.Pickle;

/// <summary>A Python tuple as the restricted unpickler built it.</summary>
/// <param name="Items">The elements, in order.</param>
public sealed record PickleTuple(IReadOnlyList<object?> Items)
{
    /// <summary>The empty tuple.</summary>
    public static PickleTuple Empty { get; } = new(Array.Empty<object?>());

    /// <summary>The number of elements.</summary>
    public int Count => Items.Count;
}
