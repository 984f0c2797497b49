namespace WeightShare.Engine.Coding;

/// <summary>
/// Table-driven decoder for canonical codes: one lookup on the next <see cref="_tableBits"/> bits resolves every code
/// that short; longer codes fall back to canonical first-code search per length.
/// </summary>
internal sealed class HuffmanDecoder
{
    private const int MaxTableBits = 11;

    private readonly int _tableBits;
    private readonly int _maxLength;

    // Entry = symbol << 8 | length, or 0 when the code is longer than the table.
    private readonly int[] _table;
    private readonly uint[] _firstCode;
    private readonly int[] _countPerLength;
    private readonly int[] _firstIndex;
    private readonly ushort[] _sortedSymbols;

    public HuffmanDecoder(int[] lengths)
    {
        ArgumentNullException.ThrowIfNull(lengths);
        var problem = CanonicalHuffman.Validate(lengths);
        if (problem is not null)
        {
            throw new InvalidInputException($"The Huffman code lengths are invalid: {problem}.");
        }

        if (lengths.Length > 65536)
        {
            throw new InvalidInputException("The Huffman code has more than 65536 symbols.");
        }

        _maxLength = lengths.Max();
        _tableBits = Math.Min(_maxLength, MaxTableBits);
        _countPerLength = new int[CanonicalHuffman.MaxSupportedLength + 1];
        foreach (int len in lengths)
        {
            _countPerLength[len]++;
        }

        _countPerLength[0] = 0;
        _firstCode = new uint[CanonicalHuffman.MaxSupportedLength + 1];
        _firstIndex = new int[CanonicalHuffman.MaxSupportedLength + 1];
        uint code = 0;
        int index = 0;
        for (int len = 1; len <= CanonicalHuffman.MaxSupportedLength; len++)
        {
            code = (code + (uint)_countPerLength[len - 1]) << 1;
            _firstCode[len] = code;
            _firstIndex[len] = index;
            index += _countPerLength[len];
        }

        _sortedSymbols = new ushort[index];
        var fill = (int[])_firstIndex.Clone();
        for (int s = 0; s < lengths.Length; s++)
        {
            if (lengths[s] > 0)
            {
                _sortedSymbols[fill[lengths[s]]++] = (ushort)s;
            }
        }

        _table = new int[1 << _tableBits];
        var codes = CanonicalHuffman.Codes(lengths);
        for (int s = 0; s < lengths.Length; s++)
        {
            int len = lengths[s];
            if (len == 0 || len > _tableBits)
            {
                continue;
            }

            int start = (int)(codes[s] << (_tableBits - len));
            int span = 1 << (_tableBits - len);
            Array.Fill(_table, (s << 8) | len, start, span);
        }
    }

    public ushort[] Decode(byte[] bits, long count)
    {
        ArgumentNullException.ThrowIfNull(bits);
        ArgumentOutOfRangeException.ThrowIfNegative(count);

        // Every code takes at least one bit, so a count beyond the stream's bits is corrupt; checking first also
        // bounds the allocation below by the stream's real size.
        if (count > (long)bits.Length * 8)
        {
            throw new InvalidInputException($"The index stream holds {bits.Length} bytes, too few for {count} symbols.");
        }

        if (count > Array.MaxLength)
        {
            throw new InvalidInputException($"{count} symbols are more than one array can hold.");
        }

        var output = new ushort[count];
        var reader = new HuffmanReader(this, bits);
        reader.Read(output);
        reader.Finish();
        return output;
    }

    /// <summary>Decodes the symbol at the top of a left-aligned window of at least 57 bits; returns its code length.</summary>
    /// <exception cref="InvalidInputException">The bits are no code of this table.</exception>
    public int DecodeOne(ulong window, out ushort symbol)
    {
        int entry = _table[(int)(window >> (64 - _tableBits))];
        if (entry != 0)
        {
            symbol = (ushort)(entry >> 8);
            return entry & 0xFF;
        }

        return DecodeLong(window, out symbol);
    }

    private int DecodeLong(ulong window, out ushort symbol)
    {
        for (int len = _tableBits + 1; len <= _maxLength; len++)
        {
            uint code = (uint)(window >> (64 - len));
            uint offset = code - _firstCode[len];
            if (offset < (uint)_countPerLength[len])
            {
                symbol = _sortedSymbols[_firstIndex[len] + (int)offset];
                return len;
            }
        }

        throw new InvalidInputException("The index stream holds a bit pattern that is not a code of its Huffman table.");
    }
}
