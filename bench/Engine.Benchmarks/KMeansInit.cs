namespace WeightShare.Engine.Benchmarks;

/// <summary>Where 1-D k-means starts.</summary>
public enum KMeansInit
{
    /// <summary>At the (j + 0.5) / k quantiles of the weights.</summary>
    Quantiles,

    /// <summary>At the means of the non-empty uniform bins (the paper's codebook), so k-means can only improve on it.</summary>
    BinMeans,
}
