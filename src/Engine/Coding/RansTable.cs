namespace WeightShare.Engine.Coding;

/// <summary>
/// The quantized symbol frequencies a range-ANS stream is coded with: each used symbol gets a frequency of at least 1
/// and the frequencies sum to 2^<see cref="ScaleBits"/>. Coding a symbol of frequency f costs ScaleBits - log2(f) bits,
/// within a few bytes per stream of the entropy of the counts it was made from.
/// </summary>
public sealed class RansTable
{
    /// <summary>The smallest and largest precision a table may have.</summary>
    public const int MinScaleBits = 8;

    /// <inheritdoc cref="MinScaleBits"/>
    public const int MaxScaleBits = 16;

    private ushort[]? _symbolOfSlot;

    private RansTable(int scaleBits, uint[] frequencies)
    {
        ScaleBits = scaleBits;
        Frequencies = frequencies;
        Cumulative = new uint[frequencies.Length + 1];
        for (var s = 0; s < frequencies.Length; s++)
        {
            Cumulative[s + 1] = Cumulative[s] + frequencies[s];
        }
    }

    /// <summary>The total is 2^ScaleBits.</summary>
    public int ScaleBits { get; }

    /// <summary>Frequency of each symbol (0 = the symbol cannot be coded).</summary>
    public uint[] Frequencies { get; }

    /// <summary>Cumulative[s] = the sum of the frequencies of the symbols below s; one more entry than symbols.</summary>
    public uint[] Cumulative { get; }

    /// <summary>The number of symbols with a frequency.</summary>
    public int UsedSymbols => Frequencies.Count(f => f > 0);

    /// <summary>
    /// A table for <paramref name="counts"/>: frequencies proportional to the counts, every used symbol at least 1, the
    /// rounding error taken from (or given to) the most frequent symbols, where it costs least.
    /// </summary>
    /// <exception cref="ArgumentException">No symbol is used, a count is negative, or more symbols are used than the precision holds.</exception>
    public static RansTable FromCounts(ReadOnlySpan<long> counts, int scaleBits)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(scaleBits, MinScaleBits);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(scaleBits, MaxScaleBits);
        long total = 0;
        var used = 0;
        foreach (var count in counts)
        {
            if (count < 0)
            {
                throw new ArgumentException("A symbol count is negative.", nameof(counts));
            }
            total += count;
            used += count > 0 ? 1 : 0;
        }
        var scale = 1u << scaleBits;
        if (used == 0 || used > scale)
        {
            throw new ArgumentException($"{used} used symbols cannot be coded with {scaleBits}-bit frequencies.", nameof(counts));
        }

        var frequencies = new uint[counts.Length];
        long sum = 0;
        for (var s = 0; s < counts.Length; s++)
        {
            if (counts[s] > 0)
            {
                frequencies[s] = (uint)Math.Max(1, Math.Round((double)counts[s] * scale / total));
                sum += frequencies[s];
            }
        }

        // Settle the rounding on the largest frequencies: a unit there changes their code length least.
        var order = Enumerable.Range(0, frequencies.Length).Where(s => frequencies[s] > 0).OrderByDescending(s => frequencies[s]).ThenBy(s => s).ToArray();
        var at = 0;
        while (sum != scale)
        {
            var s = order[at % order.Length];
            if (sum > scale && frequencies[s] > 1)
            {
                frequencies[s]--;
                sum--;
            }
            else if (sum < scale)
            {
                frequencies[s]++;
                sum++;
            }
            at++;
        }
        return new RansTable(scaleBits, frequencies);
    }

    /// <summary>A table from stored frequencies, checked: they must sum to 2^scaleBits.</summary>
    /// <exception cref="InvalidInputException">The frequencies do not make a table.</exception>
    public static RansTable FromFrequencies(uint[] frequencies, int scaleBits)
    {
        ArgumentNullException.ThrowIfNull(frequencies);
        if (scaleBits is < MinScaleBits or > MaxScaleBits)
        {
            throw new InvalidInputException($"A rANS table has {scaleBits}-bit precision; {MinScaleBits} to {MaxScaleBits} are allowed.");
        }
        long sum = 0;
        foreach (var f in frequencies)
        {
            sum += f;
        }
        if (sum != 1L << scaleBits)
        {
            throw new InvalidInputException($"A rANS table's frequencies sum to {sum}, not 2^{scaleBits}.");
        }
        return new RansTable(scaleBits, frequencies);
    }

    /// <summary>The bits <paramref name="counts"/> take when coded with this table (the stream adds 4 bytes of state).</summary>
    /// <returns>Positive infinity when a counted symbol has no frequency here.</returns>
    public double CodedBits(ReadOnlySpan<long> counts)
    {
        double bits = 0;
        for (var s = 0; s < counts.Length; s++)
        {
            if (counts[s] == 0)
            {
                continue;
            }
            if (s >= Frequencies.Length || Frequencies[s] == 0)
            {
                return double.PositiveInfinity;
            }
            bits += counts[s] * (ScaleBits - Math.Log2(Frequencies[s]));
        }
        return bits;
    }

    /// <summary>For each of the 2^ScaleBits slots, the symbol whose range holds it (built on first use).</summary>
    internal ushort[] SymbolOfSlot()
    {
        if (_symbolOfSlot is { } built)
        {
            return built;
        }
        var slots = new ushort[1 << ScaleBits];
        for (var s = 0; s < Frequencies.Length; s++)
        {
            slots.AsSpan((int)Cumulative[s], (int)Frequencies[s]).Fill((ushort)s);
        }
        return _symbolOfSlot = slots;
    }
}
