namespace WeightShare.Engine.Codecs;

/// <summary>
/// The weights a codec represents: every shared tensor's elements, concatenated in tensor order (each tensor in its
/// contiguous, row-major layout), with the tensors they came from. Codecs read <see cref="Values"/> and never write it.
/// </summary>
public sealed class SharedWeights
{
    private readonly long[] _offsets;

    /// <summary>Wraps <paramref name="values"/>, which must hold exactly the tensors' elements in order.</summary>
    public SharedWeights(IReadOnlyList<SharedTensor> tensors, float[] values)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        ArgumentNullException.ThrowIfNull(values);
        _offsets = new long[tensors.Count + 1];
        for (var i = 0; i < tensors.Count; i++)
        {
            _offsets[i + 1] = _offsets[i] + tensors[i].ElementCount;
        }
        if (_offsets[^1] != values.LongLength)
        {
            throw new ArgumentException($"The tensors hold {_offsets[^1]} elements but {values.Length} values were given.", nameof(values));
        }
        Tensors = tensors;
        Values = values;
    }

    /// <summary>The shared tensors, in shared-vector order.</summary>
    public IReadOnlyList<SharedTensor> Tensors { get; }

    /// <summary>The original weights, all tensors concatenated.</summary>
    public float[] Values { get; }

    /// <summary>Number of shared weights.</summary>
    public int Count => Values.Length;

    /// <summary>Where tensor <paramref name="index"/> starts in <see cref="Values"/>.</summary>
    public long OffsetOf(int index) => _offsets[index];

    /// <summary>The original elements of tensor <paramref name="index"/>.</summary>
    public ReadOnlySpan<float> Of(int index) => Values.AsSpan((int)_offsets[index], (int)(_offsets[index + 1] - _offsets[index]));
}
