namespace WeightShare.Engine.Checkpoints.Pickle;

/// <summary>
/// A Python dict or collections.OrderedDict as the restricted unpickler built it. Keeps insertion order, as both
/// do; setting an existing string or integer key replaces its value in place, as Python does.
/// </summary>
public sealed class PickleDict
{
    private readonly List<KeyValuePair<object?, object?>> _items = [];
    private readonly Dictionary<object, int> _index = [];

    /// <summary>Creates an empty dict.</summary>
    /// <param name="isOrdered">True for collections.OrderedDict.</param>
    public PickleDict(bool isOrdered) => IsOrdered = isOrdered;

    /// <summary>True when the pickle built a collections.OrderedDict rather than a plain dict.</summary>
    public bool IsOrdered { get; }

    /// <summary>The key/value pairs in insertion order.</summary>
    public IReadOnlyList<KeyValuePair<object?, object?>> Items => _items;

    /// <summary>
    /// The instance attributes a BUILD opcode gave the dict (torch.save stores the state_dict's _metadata there);
    /// null when there were none.
    /// </summary>
    public object? Attributes { get; internal set; }

    /// <summary>The value stored under the string <paramref name="key"/>, if any.</summary>
    public bool TryGetValue(string key, out object? value)
    {
        if (_index.TryGetValue(key, out int position))
        {
            value = _items[position].Value;
            return true;
        }

        value = null;
        return false;
    }

    internal void Set(object? key, object? value)
    {
        // Only the key kinds whose equality matches Python's are deduplicated; other keys never occur in checkpoints.
        if (key is string or long or bool)
        {
            if (_index.TryGetValue(key, out int position))
            {
                _items[position] = new(key, value);
                return;
            }

            _index[key] = _items.Count;
        }

        _items.Add(new(key, value));
    }
}
