using System.Diagnostics;
using System.Globalization;

namespace WeightShare.Fuzz;

/// <summary>
/// Runs a harness on saved inputs (a corpus, afl's crashes/ or hangs/) without afl, and says for each whether the
/// reader returned, refused (with its message) or broke the contract (with the exception), how long it took and what
/// it allocated.
/// </summary>
internal static class Replay
{
    /// <returns>0 when every input kept the contract, 1 otherwise.</returns>
    public static int Run(FuzzTarget target, IEnumerable<string> paths, ScratchFiles scratch)
    {
        var broken = 0;
        foreach (var path in Inputs(paths))
        {
            var input = File.ReadAllBytes(path);
            var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
            var clock = Stopwatch.StartNew();
            string outcome;
            try
            {
                var refusal = Contract.Check(target, input, scratch);
                outcome = refusal is null ? "returned" : $"refused: {refusal}";
            }
            catch (Exception e)
            {
                broken++;
                outcome = $"BROKE THE CONTRACT: {e}";
            }

            var megabytes = (GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore) / (1024.0 * 1024.0);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{path} ({input.Length} B, {clock.Elapsed.TotalMilliseconds:F1} ms, {megabytes:F1} MiB allocated): {outcome}"));
        }

        return broken == 0 ? 0 : 1;
    }

    private static IEnumerable<string> Inputs(IEnumerable<string> paths)
    {
        foreach (var path in paths)
        {
            if (Directory.Exists(path))
            {
                // afl leaves a README.txt beside the inputs it saves.
                foreach (var file in Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories)
                    .Where(f => Path.GetFileName(f) != "README.txt").Order(StringComparer.Ordinal))
                {
                    yield return file;
                }
            }
            else
            {
                yield return path;
            }
        }
    }
}
