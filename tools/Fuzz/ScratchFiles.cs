namespace WeightShare.Fuzz;

/// <summary>
/// The files a harness hands to readers that take a path: fixed names in a folder of this process's own (in /dev/shm
/// when the machine has it, so an execution costs no disk write), overwritten by every input and removed on dispose.
/// </summary>
internal sealed class ScratchFiles : IDisposable
{
    private readonly string _folder;

    public ScratchFiles()
    {
        var root = Directory.Exists("/dev/shm") ? "/dev/shm" : Path.GetTempPath();
        _folder = Path.Combine(root, $"wsw-fuzz-{Environment.ProcessId}");
        Directory.CreateDirectory(_folder);
    }

    /// <summary>Writes <paramref name="bytes"/> to the scratch file <paramref name="name"/> and returns its path.</summary>
    public string Write(string name, ReadOnlySpan<byte> bytes)
    {
        var path = Path.Combine(_folder, name);
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read);
        file.Write(bytes);
        return path;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // Another process of the same id cannot exist while this one runs; a leftover folder is only litter.
        }
    }
}
