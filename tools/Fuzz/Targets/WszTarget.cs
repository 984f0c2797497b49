using WeightShare.Engine.Wsz;

namespace WeightShare.Fuzz.Targets;

/// <summary>
/// A .wsz file as /api/decompress takes it: read and checked (the codec checks its block), then rebuilt, which decodes
/// every weight, inflates the residual, recomputes the CRCs and checks the SHA-256.
/// </summary>
internal sealed class WszTarget : FuzzTarget
{
    // The host refuses to rebuild more than WeightShare:MaxDecompressedBytes (1 GiB by default) and rebuilds on disk;
    // here the rebuild is in memory and kept to 16 MiB so an execution stays far inside afl's time bound. Larger
    // claims are still read and checked.
    private const long MaxRebuiltBytes = 16L << 20;

    public override string Name => "wsz";

    public override string Summary => "WszReader.Read + WszDecoder.Reconstruct (files that rebuild to at most 16 MiB)";

    public override void Run(byte[] input, ScratchFiles scratch)
    {
        var content = WszReader.Read(new MemoryStream(input, writable: false));
        if (content.ReconstructedLength <= MaxRebuiltBytes)
        {
            _ = WszDecoder.ReconstructToArray(content);
        }
    }
}
