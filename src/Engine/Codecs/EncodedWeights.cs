namespace WeightShare.Engine.Codecs;

/// <summary>A quantization as a .wsz file holds it.</summary>
/// <param name="Block">The codec's block: everything its decoder needs to rebuild the shared weights.</param>
/// <param name="BitsPerWeight">Average bits the codes take per shared weight (the paper's Huffman figure).</param>
public sealed record EncodedWeights(byte[] Block, double BitsPerWeight);
