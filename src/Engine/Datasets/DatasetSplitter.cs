namespace WeightShare.Engine.Datasets;

/// <summary>The one deterministic, class-balanced split of a run's dataset into validation and test samples.</summary>
public static class DatasetSplitter
{
    /// <summary>
    /// Picks <paramref name="validationSamples"/> samples, as evenly over the classes as each class allows, by a shuffle
    /// seeded with <paramref name="seed"/>; every other sample is a test sample. Both parts come back sorted.
    /// </summary>
    public static DatasetSplit SplitBalanced(IReadOnlyList<int> labels, int classes, int validationSamples, int seed)
    {
        if (validationSamples <= 0 || validationSamples >= labels.Count)
        {
            throw new InvalidInputException(
                $"validationSamples must be between 1 and {labels.Count - 1} for a dataset of {labels.Count} samples (got {validationSamples}).");
        }

        var members = new List<int>[classes];
        for (var c = 0; c < classes; c++)
        {
            members[c] = new List<int>();
        }
        for (var i = 0; i < labels.Count; i++)
        {
            members[labels[i]].Add(i);
        }

        var quota = Quotas(members.Select(m => m.Count).ToArray(), validationSamples);
        var random = new SplitMix64((ulong)seed);
        var chosen = new bool[labels.Count];
        for (var c = 0; c < classes; c++)
        {
            var pool = members[c].ToArray();
            // A partial Fisher-Yates shuffle: the first quota[c] places end up a uniform sample of the class.
            for (var i = 0; i < quota[c]; i++)
            {
                var j = i + (int)random.NextBelow((ulong)(pool.Length - i));
                (pool[i], pool[j]) = (pool[j], pool[i]);
                chosen[pool[i]] = true;
            }
        }

        var validation = new List<int>(validationSamples);
        var test = new List<int>(labels.Count - validationSamples);
        for (var i = 0; i < chosen.Length; i++)
        {
            (chosen[i] ? validation : test).Add(i);
        }
        return new DatasetSplit(validation.ToArray(), test.ToArray());
    }

    /// <summary>
    /// <paramref name="indices"/> reordered so that every stretch of the order is class-balanced: each class's members
    /// shuffled by <paramref name="seed"/>, then dealt one class at a time in turn (a class that runs out drops out).
    /// A racing evaluation that stops after its first chunk has then seen every class in its share.
    /// </summary>
    /// <param name="indices">The samples to order (for example a validation split).</param>
    /// <param name="labels">The class of every sample of the dataset, by dataset index.</param>
    /// <param name="classes">How many classes the labels range over (1 or more).</param>
    /// <param name="seed">The order's seed: the same seed gives the same order.</param>
    public static int[] InterleaveByClass(IReadOnlyList<int> indices, IReadOnlyList<int> labels, int classes, int seed)
    {
        ArgumentNullException.ThrowIfNull(indices);
        ArgumentNullException.ThrowIfNull(labels);
        var members = new List<int>[Math.Max(1, classes)];
        for (var c = 0; c < members.Length; c++)
        {
            members[c] = [];
        }
        foreach (var index in indices)
        {
            members[labels[index]].Add(index);
        }
        // Its own stream, apart from the split's, so the split stays what it was.
        var random = new SplitMix64(unchecked((ulong)seed * 0x9E3779B97F4A7C15UL) ^ 0xD1B54A32D192ED03UL);
        foreach (var pool in members)
        {
            for (var i = pool.Count - 1; i > 0; i--)
            {
                var j = (int)random.NextBelow((ulong)(i + 1));
                (pool[i], pool[j]) = (pool[j], pool[i]);
            }
        }
        var order = new int[indices.Count];
        var placed = 0;
        for (var round = 0; placed < order.Length; round++)
        {
            foreach (var pool in members.Where(pool => round < pool.Count))
            {
                order[placed++] = pool[round];
            }
        }
        return order;
    }

    // Equal shares; what a small class cannot give goes, one at a time, to the classes with samples to spare,
    // lowest class first, so the result depends only on the class sizes.
    private static int[] Quotas(int[] sizes, int total)
    {
        var quota = new int[sizes.Length];
        var remaining = total;
        while (remaining > 0)
        {
            var open = Enumerable.Range(0, sizes.Length).Where(c => quota[c] < sizes[c]).ToArray();
            var share = Math.Max(1, remaining / open.Length);
            foreach (var c in open)
            {
                var take = Math.Min(Math.Min(share, sizes[c] - quota[c]), remaining);
                quota[c] += take;
                remaining -= take;
                if (remaining == 0)
                {
                    break;
                }
            }
        }
        return quota;
    }
}
