namespace WeightShare.Engine.Sharing;

/// <summary>The shared values every shared weight is replaced by; a weight stores only its index into them.</summary>
/// <param name="Values">The shared values, ascending when built from bins.</param>
public sealed record Codebook(float[] Values)
{
    /// <summary>The number of shared values.</summary>
    public int Count => Values.Length;

    /// <summary>One value per non-empty bin: the mean of the bin's weights (not the bin's midpoint).</summary>
    public static Codebook FromBins(WeightBins bins)
    {
        ArgumentNullException.ThrowIfNull(bins);
        var values = new float[bins.Count];
        for (int b = 0; b < values.Length; b++)
        {
            values[b] = (float)(bins.Sums[b] / bins.Counts[b]);
        }

        return new Codebook(values);
    }

    /// <summary>
    /// Merges runs of neighbouring bins: group j is bins [groupStarts[j], groupStarts[j+1]) (the last group runs to
    /// the final bin) and its value is the mean of all the group's weights, so bigger bins weigh more.
    /// </summary>
    /// <returns>The codebook with one value per group, and for each bin the index of its group's value.</returns>
    /// <exception cref="ArgumentException">groupStarts does not start at 0, is not strictly increasing or reaches past the last bin.</exception>
    public static (Codebook Codebook, int[] BinToValue) FromGroups(WeightBins bins, IReadOnlyList<int> groupStarts)
    {
        ArgumentNullException.ThrowIfNull(bins);
        ArgumentNullException.ThrowIfNull(groupStarts);
        ValidateGroupStarts(groupStarts, bins.Count);

        var values = new float[groupStarts.Count];
        var binToValue = new int[bins.Count];
        for (int g = 0; g < groupStarts.Count; g++)
        {
            int start = groupStarts[g];
            int end = g + 1 < groupStarts.Count ? groupStarts[g + 1] : bins.Count;
            double sum = 0;
            long count = 0;
            for (int b = start; b < end; b++)
            {
                sum += bins.Sums[b];
                count += bins.Counts[b];
                binToValue[b] = g;
            }

            values[g] = (float)(sum / count);
        }

        return (new Codebook(values), binToValue);
    }

    private static void ValidateGroupStarts(IReadOnlyList<int> groupStarts, int binCount)
    {
        if (groupStarts.Count == 0 || groupStarts[0] != 0)
        {
            throw new ArgumentException("Group starts must begin with bin 0.", nameof(groupStarts));
        }

        for (int g = 1; g < groupStarts.Count; g++)
        {
            if (groupStarts[g] <= groupStarts[g - 1])
            {
                throw new ArgumentException($"Group starts must be strictly increasing; entry {g} is {groupStarts[g]} after {groupStarts[g - 1]}.", nameof(groupStarts));
            }
        }

        if (groupStarts[^1] >= binCount)
        {
            throw new ArgumentException($"Group start {groupStarts[^1]} is past the last bin ({binCount - 1}).", nameof(groupStarts));
        }
    }
}
