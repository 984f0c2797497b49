using System.Globalization;
using WeightShare.Engine.Coding;
using WeightShare.Engine.Sharing;

namespace WeightShare.Engine.Codecs.Paper;

/// <summary>
/// The paper's representation: k uniform bins over all shared weights, each bin's value the mean of its weights, and
/// optionally runs of neighbouring bins merged into one value (their weights' mean).
/// </summary>
internal sealed class PaperQuantization : Quantization
{
    private readonly WeightBins _bins;
    private readonly IReadOnlyList<int>? _groupStarts;
    private readonly int _k;

    public PaperQuantization(WeightBins bins, int k, IReadOnlyList<int>? groupStarts)
    {
        _bins = bins;
        _k = k;
        _groupStarts = groupStarts;
    }

    public override int SharedValues => _groupStarts?.Count ?? _bins.Count;

    public override string Description => _groupStarts is null
        ? string.Create(CultureInfo.InvariantCulture, $"k = {_k}, {SharedValues} shared values")
        : string.Create(CultureInfo.InvariantCulture, $"k = {_k} merged to {SharedValues} shared values");

    public override void Dequantize(Span<float> weights)
    {
        var (codebook, binToValue) = Values();
        WeightSharing.Dequantize(_bins, binToValue is null ? codebook.Values : WeightSharing.BinValues(codebook, binToValue), weights);
    }

    public override EncodedWeights Encode()
    {
        var (codebook, binToValue) = Values();
        var indices = WeightSharing.Indices(_bins, binToValue);
        var counts = WeightSharing.CountPerValue(_bins, binToValue);
        var lengths = CanonicalHuffman.CodeLengths(counts, maxLength: 24);
        var block = new PaperBlock(codebook.Values, lengths, CanonicalHuffman.Encode(indices, lengths));
        return new EncodedWeights(block.ToBytes(), CanonicalHuffman.AverageCodeLength(counts, lengths));
    }

    private (Codebook Codebook, int[]? BinToValue) Values()
    {
        if (_groupStarts is null)
        {
            return (Codebook.FromBins(_bins), null);
        }
        var (codebook, binToValue) = Codebook.FromGroups(_bins, _groupStarts);
        return (codebook, binToValue);
    }
}
