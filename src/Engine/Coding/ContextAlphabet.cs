namespace WeightShare.Engine.Coding;

/// <summary>
/// The indices a context-coded stream may hold, in increasing order, and its centre (the index coded as zero, the
/// median of the counts it was made from): an index is coded as its signed rank from the centre among these indices,
/// so a tensor that uses every fourth lattice level codes neighbours of the centre as ranks 1, 2, 3, ...
/// </summary>
public sealed class ContextAlphabet
{
    private int[]? _rankOf;

    /// <exception cref="InvalidInputException">The symbols are empty, not increasing, or the centre is not one of them.</exception>
    public ContextAlphabet(ushort[] symbols, int centre)
    {
        ArgumentNullException.ThrowIfNull(symbols);
        if (symbols.Length == 0 || centre < 0 || centre >= symbols.Length)
        {
            throw new InvalidInputException($"A context coder's alphabet of {symbols.Length} indices names centre {centre}.");
        }
        for (var i = 1; i < symbols.Length; i++)
        {
            if (symbols[i] <= symbols[i - 1])
            {
                throw new InvalidInputException("A context coder's alphabet does not list its indices in increasing order.");
            }
        }
        Symbols = symbols;
        Centre = centre;
    }

    /// <summary>The indices, in increasing order.</summary>
    public ushort[] Symbols { get; }

    /// <summary>The position in <see cref="Symbols"/> of the index coded as rank zero.</summary>
    public int Centre { get; }

    /// <summary>The largest rank above the centre.</summary>
    public int MaxAbove => Symbols.Length - 1 - Centre;

    /// <summary>The largest rank below the centre, as a positive number.</summary>
    public int MaxBelow => Centre;

    /// <summary>An alphabet of the counted symbols, centred on their median.</summary>
    /// <exception cref="ArgumentException">No symbol is counted.</exception>
    public static ContextAlphabet FromCounts(ReadOnlySpan<long> counts)
    {
        long total = 0;
        var symbols = new List<ushort>();
        for (var s = 0; s < counts.Length; s++)
        {
            if (counts[s] > 0)
            {
                total += counts[s];
                symbols.Add((ushort)s);
            }
        }
        if (symbols.Count == 0)
        {
            throw new ArgumentException("No symbol is counted.", nameof(counts));
        }
        long seen = 0;
        var centre = 0;
        foreach (var symbol in symbols)
        {
            seen += counts[symbol];
            if (2 * seen >= total)
            {
                break;
            }
            centre++;
        }
        return new ContextAlphabet([.. symbols], centre);
    }

    /// <summary>Whether <paramref name="other"/> lists the same indices around the same centre.</summary>
    public bool SameAs(ContextAlphabet other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return Centre == other.Centre && Symbols.AsSpan().SequenceEqual(other.Symbols);
    }

    /// <summary>Each index's signed rank from the centre; <see cref="int.MinValue"/> for an index not in the alphabet.</summary>
    internal int[] RankOf()
    {
        if (_rankOf is { } built)
        {
            return built;
        }
        var ranks = new int[Symbols[^1] + 1];
        Array.Fill(ranks, int.MinValue);
        for (var i = 0; i < Symbols.Length; i++)
        {
            ranks[Symbols[i]] = i - Centre;
        }
        return _rankOf = ranks;
    }
}
