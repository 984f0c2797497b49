using System.IO.Compression;

namespace WeightShare.Engine.Checkpoints;

/// <summary>
/// Copies a TorchScript archive without its debug tables: the <c>code/**.debug_pkl</c> entries, which map the
/// serialized code back to the Python source for error messages. torch.jit.load reads them only when they are there,
/// so the copy loads and computes exactly as the original; an error inside the model then names no Python line.
/// </summary>
public static class TorchScriptSlimmer
{
    /// <summary>The suffix of a debug table's entry name.</summary>
    public const string DebugTableSuffix = ".debug_pkl";

    /// <summary>
    /// Writes <paramref name="sourcePath"/> to <paramref name="destinationPath"/> with every other entry stored (never
    /// deflated, so tensors stay where a reader can splice them), in the original order and with its bytes.
    /// </summary>
    /// <returns>The bytes of the debug tables left out (their uncompressed length); 0 when the archive had none.</returns>
    /// <exception cref="InvalidInputException">The source is not a readable zip archive.</exception>
    public static long WriteWithoutDebugTables(string sourcePath, string destinationPath)
    {
        long removed = 0;
        try
        {
            using var source = ZipFile.OpenRead(sourcePath);
            using var output = File.Create(destinationPath);
            using var archive = new ZipArchive(output, ZipArchiveMode.Create);
            foreach (var entry in source.Entries)
            {
                if (entry.FullName.EndsWith(DebugTableSuffix, StringComparison.Ordinal))
                {
                    removed += entry.Length;
                    continue;
                }

                var copy = archive.CreateEntry(entry.FullName, CompressionLevel.NoCompression);
                copy.LastWriteTime = entry.LastWriteTime;
                using var from = entry.Open();
                using var to = copy.Open();
                from.CopyTo(to);
            }
        }
        catch (InvalidDataException e)
        {
            throw new InvalidInputException($"The TorchScript archive cannot be copied without its debug tables: {e.Message}", e);
        }

        return removed;
    }
}
