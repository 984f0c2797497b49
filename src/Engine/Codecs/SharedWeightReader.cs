namespace WeightShare.Engine.Codecs;

/// <summary>
/// The shared weights a codec's block rebuilds, in segment order, a chunk at a time: a decoder holds the block and one
/// chunk, never every weight, however many the file claims. <see cref="Read"/> until <see cref="Remaining"/> is 0,
/// then <see cref="Finish"/>.
/// </summary>
public abstract class SharedWeightReader
{
    /// <summary>The most weights a reader decodes at once: what it holds besides its block.</summary>
    protected const int ChunkLength = 16384;

    /// <summary>A reader of <paramref name="count"/> weights.</summary>
    protected SharedWeightReader(long count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        Remaining = count;
    }

    /// <summary>Weights not yet read.</summary>
    public long Remaining { get; private set; }

    /// <summary>Rebuilds the next <paramref name="values"/>.Length weights.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Fewer weights remain.</exception>
    /// <exception cref="InvalidInputException">The block is corrupt.</exception>
    public void Read(Span<float> values)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(values.Length, Remaining);
        ReadCore(values);
        Remaining -= values.Length;
    }

    /// <summary>Checks that every weight was read and that the block held nothing more.</summary>
    /// <exception cref="InvalidOperationException">Weights remain unread.</exception>
    /// <exception cref="InvalidInputException">The block holds more than its weights, or ends wrongly.</exception>
    public void Finish()
    {
        if (Remaining != 0)
        {
            throw new InvalidOperationException($"{Remaining} weights are still unread.");
        }
        FinishCore();
    }

    /// <summary>
    /// A reader over a codec whose weights can be rebuilt by position, with nothing to check at the end: the simplest
    /// way for a codec to stream.
    /// </summary>
    public static SharedWeightReader ByPosition(long count, ReadWeights read)
    {
        ArgumentNullException.ThrowIfNull(read);
        return new PositionReader(count, read);
    }

    /// <summary>Rebuilds the next <paramref name="values"/>.Length weights; never more than remain.</summary>
    protected abstract void ReadCore(Span<float> values);

    /// <summary>Checks the block's end once every weight is read.</summary>
    protected abstract void FinishCore();

    private sealed class PositionReader(long count, ReadWeights read) : SharedWeightReader(count)
    {
        private long _next;

        protected override void ReadCore(Span<float> values)
        {
            read(_next, values);
            _next += values.Length;
        }

        protected override void FinishCore()
        {
        }
    }
}
