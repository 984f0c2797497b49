using WeightShare.Engine.Checkpoints;

namespace WeightShare.Fuzz.Targets;

/// <summary>The zip container of .pt files: opens the archive and reads (inflates, CRC-checks) every entry.</summary>
internal sealed class ZipTarget : FuzzTarget
{
    // The largest entry read: inputs are at most 256 KiB, and an honest entry inflates to at most ~1,032 times its bytes.
    private const long MaxEntryBytes = 256L << 20;

    public override string Name => "zip";

    public override string Summary => "ZipContainer.Open then ReadEntry of every entry";

    public override void Run(byte[] input, ScratchFiles scratch)
    {
        using var zip = ZipContainer.Open(scratch.Write("model.pt", input));
        _ = PyTorchZipReader.FindArchivePrefix(zip.Entries);
        foreach (var entry in zip.Entries)
        {
            _ = zip.ReadEntry(entry, MaxEntryBytes);
        }
    }
}
