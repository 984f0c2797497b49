namespace WeightShare.Engine.Coding;

/// <summary>
/// Length-limited canonical Huffman codes over symbols 0..n-1 (n &lt;= 65536). Only the code lengths are stored; codes
/// follow from them by the canonical rule: symbols sorted by (length, symbol), the first gets all zeros and each next
/// code is the previous plus one, shifted left when the length grows. Bit streams are MSB-first: a code's most
/// significant bit comes first, and the stream's first bit is the most significant bit of byte 0; the last byte is
/// padded with zero bits.
/// </summary>
public static class CanonicalHuffman
{
    /// <summary>The longest code length a decoder accepts.</summary>
    public const int MaxSupportedLength = 31;

    /// <summary>
    /// Optimal code lengths for <paramref name="frequencies"/>, limited to <paramref name="maxLength"/> bits. Unused
    /// symbols get length 0; a single used symbol gets length 1.
    /// </summary>
    /// <exception cref="ArgumentException">No symbol is used, a frequency is negative, or 2^maxLength is below the number of used symbols.</exception>
    public static int[] CodeLengths(ReadOnlySpan<long> frequencies, int maxLength = 24)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxLength, MaxSupportedLength);
        if (frequencies.Length > 65536)
        {
            throw new ArgumentException("At most 65536 symbols are supported.", nameof(frequencies));
        }

        var used = new List<int>();
        for (int s = 0; s < frequencies.Length; s++)
        {
            if (frequencies[s] < 0)
            {
                throw new ArgumentException($"Symbol {s} has a negative frequency.", nameof(frequencies));
            }

            if (frequencies[s] > 0)
            {
                used.Add(s);
            }
        }

        if (used.Count == 0)
        {
            throw new ArgumentException("No symbol has a non-zero frequency.", nameof(frequencies));
        }

        if ((long)used.Count > 1L << maxLength)
        {
            throw new ArgumentException($"{used.Count} symbols cannot be coded in at most {maxLength} bits.", nameof(maxLength));
        }

        var lengths = new int[frequencies.Length];
        if (used.Count == 1)
        {
            lengths[used[0]] = 1;
            return lengths;
        }

        // Ascending frequency, ties by symbol, so the result does not depend on the sort's stability.
        var freqs = frequencies.ToArray();
        var order = used.ToArray();
        Array.Sort(order, (a, b) => freqs[a] != freqs[b] ? freqs[a].CompareTo(freqs[b]) : a.CompareTo(b));

        var depth = HuffmanDepths(order, freqs);
        var countPerLength = new long[Math.Max(depth.Max(), maxLength) + 1];
        foreach (int d in depth)
        {
            countPerLength[d]++;
        }

        LimitLengths(countPerLength, maxLength);

        // Hand the shortest lengths to the most frequent symbols (the end of the ascending order).
        int next = order.Length - 1;
        for (int len = 1; len <= maxLength; len++)
        {
            for (long c = 0; c < countPerLength[len]; c++)
            {
                lengths[order[next--]] = len;
            }
        }

        return lengths;
    }

    // Two-queue Huffman over symbols already sorted by ascending frequency; returns each leaf's depth in that order.
    private static int[] HuffmanDepths(int[] order, long[] freqs)
    {
        int n = order.Length;
        var weight = new long[2 * n - 1];
        var parent = new int[2 * n - 1];
        for (int i = 0; i < n; i++)
        {
            weight[i] = freqs[order[i]];
        }

        int leaf = 0;
        int internalRead = n;
        int internalWrite = n;
        int Take()
        {
            // Leaves win ties, which keeps the tree shallow among equal-cost trees.
            if (leaf < n && (internalRead >= internalWrite || weight[leaf] <= weight[internalRead]))
            {
                return leaf++;
            }

            return internalRead++;
        }

        while (internalWrite < 2 * n - 1)
        {
            int a = Take();
            int b = Take();
            weight[internalWrite] = weight[a] + weight[b];
            parent[a] = internalWrite;
            parent[b] = internalWrite;
            internalWrite++;
        }

        var nodeDepth = new int[2 * n - 1];
        for (int node = 2 * n - 3; node >= 0; node--)
        {
            nodeDepth[node] = nodeDepth[parent[node]] + 1;
        }

        return nodeDepth[..n];
    }

    // JPEG (ITU T.81 annex K.3) adjustment: while a code is too long, take two leaves at the deepest level, put
    // one of them at the next level up and move the other under a leaf at the deepest shorter level that has one.
    // Each step keeps the Kraft sum exactly 1, so the code stays complete and prefix-free.
    private static void LimitLengths(long[] countPerLength, int maxLength)
    {
        for (int len = countPerLength.Length - 1; len > maxLength; len--)
        {
            while (countPerLength[len] > 0)
            {
                int j = len - 2;
                while (countPerLength[j] == 0)
                {
                    j--;
                }

                countPerLength[len] -= 2;
                countPerLength[len - 1]++;
                countPerLength[j + 1] += 2;
                countPerLength[j]--;
            }
        }
    }

    /// <summary>Checks that <paramref name="lengths"/> describe a prefix code: each 0..31, at least one used, Kraft sum at most 1.</summary>
    /// <returns>Null when valid, else what is wrong.</returns>
    public static string? Validate(ReadOnlySpan<int> lengths)
    {
        // Kraft sum scaled by 2^31 so it stays an exact integer.
        long kraft = 0;
        bool any = false;
        for (int s = 0; s < lengths.Length; s++)
        {
            int len = lengths[s];
            if (len < 0 || len > MaxSupportedLength)
            {
                return $"symbol {s} has code length {len}, outside 0..{MaxSupportedLength}";
            }

            if (len > 0)
            {
                any = true;
                kraft += 1L << (MaxSupportedLength - len);
            }
        }

        if (!any)
        {
            return "no symbol has a code";
        }

        return kraft > 1L << MaxSupportedLength ? "the code lengths overfill the code space (Kraft sum above 1)" : null;
    }

    /// <summary>The canonical code of each symbol (right-aligned in the int; 0 for unused symbols).</summary>
    public static uint[] Codes(ReadOnlySpan<int> lengths)
    {
        var problem = Validate(lengths);
        if (problem is not null)
        {
            throw new ArgumentException($"Invalid code lengths: {problem}.", nameof(lengths));
        }

        var countPerLength = new int[MaxSupportedLength + 1];
        foreach (int len in lengths)
        {
            countPerLength[len]++;
        }

        countPerLength[0] = 0;
        var nextCode = new uint[MaxSupportedLength + 2];
        uint code = 0;
        for (int len = 1; len <= MaxSupportedLength; len++)
        {
            code = (code + (uint)countPerLength[len - 1]) << 1;
            nextCode[len] = code;
        }

        var codes = new uint[lengths.Length];
        for (int s = 0; s < lengths.Length; s++)
        {
            if (lengths[s] > 0)
            {
                codes[s] = nextCode[lengths[s]]++;
            }
        }

        return codes;
    }

    /// <summary>Average bits per symbol: sum(f * len) / sum(f).</summary>
    public static double AverageCodeLength(ReadOnlySpan<long> frequencies, ReadOnlySpan<int> lengths)
    {
        if (frequencies.Length != lengths.Length)
        {
            throw new ArgumentException("Frequencies and lengths must have one entry per symbol.", nameof(lengths));
        }

        double bits = 0;
        double total = 0;
        for (int s = 0; s < frequencies.Length; s++)
        {
            bits += (double)frequencies[s] * lengths[s];
            total += frequencies[s];
        }

        return total == 0 ? 0 : bits / total;
    }

    /// <summary>Total bits the symbols take: sum(f * len).</summary>
    public static long TotalBits(ReadOnlySpan<long> frequencies, ReadOnlySpan<int> lengths)
    {
        long bits = 0;
        for (int s = 0; s < frequencies.Length; s++)
        {
            bits += frequencies[s] * lengths[s];
        }

        return bits;
    }

    /// <summary>Encodes <paramref name="symbols"/> MSB-first with the canonical code of <paramref name="lengths"/>.</summary>
    /// <exception cref="ArgumentException">A symbol has no code.</exception>
    public static byte[] Encode(ReadOnlySpan<ushort> symbols, int[] lengths)
    {
        ArgumentNullException.ThrowIfNull(lengths);
        var codes = Codes(lengths);
        long totalBits = 0;
        foreach (ushort s in symbols)
        {
            if (s >= lengths.Length || lengths[s] == 0)
            {
                throw new ArgumentException($"Symbol {s} has no code.", nameof(symbols));
            }

            totalBits += lengths[s];
        }

        long byteCount = (totalBits + 7) / 8;
        if (byteCount > Array.MaxLength)
        {
            throw new ArgumentException("The coded stream would exceed the largest array.", nameof(symbols));
        }

        var output = new byte[byteCount];
        ulong buffer = 0;
        int pending = 0;
        int at = 0;
        foreach (ushort s in symbols)
        {
            // Lengths are at most 31 and fewer than 8 bits stay pending, so the buffer never overflows.
            buffer = (buffer << lengths[s]) | codes[s];
            pending += lengths[s];
            while (pending >= 8)
            {
                pending -= 8;
                output[at++] = (byte)(buffer >> pending);
            }
        }

        if (pending > 0)
        {
            output[at] = (byte)(buffer << (8 - pending));
        }

        return output;
    }

    /// <summary>Decodes <paramref name="count"/> symbols from an MSB-first stream made by <see cref="Encode"/>.</summary>
    /// <exception cref="InvalidInputException">The lengths are not a prefix code, or the stream is too short or holds a bit pattern that is no code.</exception>
    public static ushort[] Decode(byte[] bits, int[] lengths, long count) =>
        new HuffmanDecoder(lengths).Decode(bits, count);
}
