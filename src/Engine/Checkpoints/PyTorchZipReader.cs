using WeightShare.Engine.Checkpoints.Pickle;
using WeightShare.Engine.Tensors;

namespace WeightShare.Engine.Checkpoints;

/// <summary>
/// Finds the tensors of a torch.save or torch.jit.save zip archive: reads <c>data.pkl</c> with the restricted
/// <see cref="Unpickler"/>, names each tensor, and checks each against its storage entry <c>data/&lt;key&gt;</c>.
/// </summary>
public static class PyTorchZipReader
{
    /// <summary>The largest data.pkl accepted; real ones are kilobytes even for large models.</summary>
    public const long MaxPickleBytes = 64L * 1024 * 1024;

    // Module nesting in real networks is a few levels; the bound keeps hostile nesting from exhausting the stack.
    private const int MaxNestingDepth = 100;

    // Shared sub-objects make the tree a DAG whose walk can grow exponentially; real checkpoints stay far below this.
    private const int MaxVisits = 1_000_000;

    /// <summary>
    /// The archive's record prefix: the folder holding data.pkl (for example <c>fmnist_cnn_state/</c>; torch names it
    /// after the file, so it is not always <c>archive/</c>).
    /// </summary>
    /// <exception cref="InvalidInputException">The archive has no single top-level data.pkl.</exception>
    public static string FindArchivePrefix(IEnumerable<ZipEntryInfo> entries)
    {
        string[] candidates = entries
            .Select(e => e.Name)
            .Where(n => n.EndsWith("/data.pkl", StringComparison.Ordinal) && n.IndexOf('/') == n.Length - "/data.pkl".Length)
            .ToArray();
        return candidates.Length switch
        {
            1 => candidates[0][..^"data.pkl".Length],
            0 => throw new InvalidInputException("The zip archive is not a PyTorch checkpoint: it has no <name>/data.pkl entry."),
            _ => throw new InvalidInputException(
                $"The zip archive is not a PyTorch checkpoint: it has {candidates.Length} top-level data.pkl entries."),
        };
    }

    /// <summary>True when the archive is a torch.jit.save export (it has a code/ folder or constants.pkl).</summary>
    /// <exception cref="InvalidInputException">The archive has no single top-level data.pkl.</exception>
    public static bool IsTorchScript(ZipContainer zip)
    {
        string prefix = FindArchivePrefix(zip.Entries);
        return zip.Find(prefix + "constants.pkl") is not null
            || zip.Entries.Any(e => e.Name.StartsWith(prefix + "code/", StringComparison.Ordinal));
    }

    /// <summary>The named tensors of the archive as the pickle describes them, before any check against the storages.</summary>
    /// <param name="zip">The archive.</param>
    /// <param name="format"><see cref="CheckpointFormat.TorchScript"/> or <see cref="CheckpointFormat.PyTorch"/>.</param>
    /// <exception cref="InvalidInputException">data.pkl is missing, malformed, hostile, or holds no tensors.</exception>
    public static IReadOnlyList<KeyValuePair<string, TensorReference>> ReadTensorReferences(ZipContainer zip, CheckpointFormat format)
    {
        string prefix = FindArchivePrefix(zip.Entries);
        byte[] pickle = zip.ReadEntry(prefix + "data.pkl", MaxPickleBytes);
        var found = new List<KeyValuePair<string, TensorReference>>();
        switch (format)
        {
            case CheckpointFormat.PyTorch:
                object? root = Unpickler.Load(pickle, GlobalPolicy.StateDict, "data.pkl");
                if (root is not PickleDict dict)
                {
                    throw new InvalidInputException("The checkpoint's data.pkl does not hold a state_dict (a dict of name to tensor).");
                }

                int visits = 0;
                CollectStateDict(dict, "", 0, ref visits, found);
                break;
            case CheckpointFormat.TorchScript:
                object? module = Unpickler.Load(pickle, GlobalPolicy.TorchScript, "data.pkl");
                if (module is not PickleObject rootModule)
                {
                    throw new InvalidInputException("The TorchScript archive's data.pkl does not hold a module.");
                }

                int moduleVisits = 0;
                CollectModule(rootModule, "", 0, ref moduleVisits, new HashSet<PickleObject>(ReferenceEqualityComparer.Instance), found);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(format), format, "Only zip formats have a data.pkl.");
        }

        if (found.Count == 0)
        {
            throw new InvalidInputException("The checkpoint holds no tensors.");
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, _) in found)
        {
            if (!names.Add(name))
            {
                throw new InvalidInputException($"The checkpoint names two tensors '{name}'.");
            }
        }

        return found;
    }

    /// <summary>Reads the layout of a torch.save or torch.jit.save archive and validates every tensor against its storage.</summary>
    /// <param name="zip">The archive.</param>
    /// <param name="format"><see cref="CheckpointFormat.TorchScript"/> or <see cref="CheckpointFormat.PyTorch"/>.</param>
    /// <exception cref="InvalidInputException">
    /// data.pkl is missing, malformed or hostile; a storage entry is missing, of the wrong size or dtype, or too
    /// small for a tensor that views it.
    /// </exception>
    public static CheckpointLayout Read(ZipContainer zip, CheckpointFormat format)
    {
        string prefix = FindArchivePrefix(zip.Entries);
        var storages = new Dictionary<string, StorageReference>(StringComparer.Ordinal);
        var tensors = new List<StoredTensor>();
        foreach (var (name, tensor) in ReadTensorReferences(zip, format))
        {
            StorageReference storage = tensor.Storage;
            if (storages.TryGetValue(storage.Key, out StorageReference? seen) && seen != storage)
            {
                throw new InvalidInputException(
                    $"Tensor '{name}' views storage '{storage.Key}' as {storage.ElementCount} {storage.DType} elements, " +
                    $"but another tensor views it as {seen.ElementCount} {seen.DType} elements.");
            }

            storages[storage.Key] = storage;
            ZipEntryInfo entry = zip.Find($"{prefix}data/{storage.Key}")
                ?? throw new InvalidInputException($"Tensor '{name}' needs storage '{storage.Key}', but the archive has no entry data/{storage.Key}.");
            tensors.Add(Locate(name, tensor, entry));
        }

        return new CheckpointLayout(format, zip.FileLength, tensors, zip.Entries);
    }

    private static StoredTensor Locate(string name, TensorReference tensor, ZipEntryInfo entry)
    {
        StorageReference storage = tensor.Storage;
        int elementSize = storage.DType.ElementSize();
        try
        {
            long storageBytes = checked(storage.ElementCount * elementSize);
            if (entry.UncompressedSize != storageBytes)
            {
                throw new InvalidInputException(
                    $"Storage '{storage.Key}' of tensor '{name}' holds {entry.UncompressedSize} bytes, but the checkpoint declares " +
                    $"{storage.ElementCount} {storage.DType} elements ({storageBytes} bytes): its dtype or size does not match.");
            }

            if (tensor.StorageOffset < 0 || tensor.Size.Any(s => s < 0) || tensor.Stride.Any(s => s < 0))
            {
                throw new InvalidInputException($"Tensor '{name}' has a negative size, stride or storage offset.");
            }

            long count = 1;
            long lastIndex = 0;
            foreach (var (size, stride) in tensor.Size.Zip(tensor.Stride))
            {
                count = checked(count * size);
                if (size > 0)
                {
                    lastIndex = checked(lastIndex + (size - 1) * stride);
                }
            }

            long extent = count == 0 ? 0 : checked(tensor.StorageOffset + lastIndex + 1);
            if (extent > storage.ElementCount)
            {
                throw new InvalidInputException(
                    $"Tensor '{name}' reaches element {extent - 1} of storage '{storage.Key}', which holds only {storage.ElementCount}.");
            }

            bool contiguous = IsContiguous(tensor.Size, tensor.Stride);
            long fileOffset = entry.IsStored && contiguous ? checked(entry.DataOffset + tensor.StorageOffset * elementSize) : -1;
            return new StoredTensor(name, storage.DType, tensor.Size, count, fileOffset, contiguous, storage.Key)
            {
                StorageOffset = tensor.StorageOffset,
            };
        }
        catch (OverflowException)
        {
            throw new InvalidInputException($"Tensor '{name}' has sizes or strides so large that its extent overflows.");
        }
    }

    private static bool IsContiguous(long[] size, long[] stride)
    {
        // torch's rule: dimensions of size 1 may have any stride, and an empty tensor is contiguous.
        if (size.Contains(0))
        {
            return true;
        }

        long expected = 1;
        for (int i = size.Length - 1; i >= 0; i--)
        {
            if (size[i] != 1 && stride[i] != expected)
            {
                return false;
            }

            expected *= size[i];
        }

        return true;
    }

    private static void CollectStateDict(PickleDict dict, string prefix, int depth, ref int visits, List<KeyValuePair<string, TensorReference>> found)
    {
        if (depth > MaxNestingDepth)
        {
            throw new InvalidInputException($"The checkpoint nests dicts more than {MaxNestingDepth} levels deep.");
        }

        foreach (var (key, value) in dict.Items)
        {
            if (++visits > MaxVisits)
            {
                throw new InvalidInputException($"The checkpoint's object tree has more than {MaxVisits} entries.");
            }

            if (key is not string name)
            {
                throw new InvalidInputException("The checkpoint's state_dict has a key that is not a string.");
            }

            // Checkpoints often wrap the state_dict ({"model": {...}}); non-tensor entries such as an epoch are skipped.
            switch (value)
            {
                case TensorReference tensor:
                    found.Add(new(prefix + name, tensor));
                    break;
                case PickleDict inner:
                    CollectStateDict(inner, $"{prefix}{name}.", depth + 1, ref visits, found);
                    break;
            }
        }
    }

    private static void CollectModule(
        PickleObject module, string prefix, int depth, ref int visits, HashSet<PickleObject> onPath, List<KeyValuePair<string, TensorReference>> found)
    {
        if (depth > MaxNestingDepth)
        {
            throw new InvalidInputException($"The TorchScript module nests submodules more than {MaxNestingDepth} levels deep.");
        }

        // A module reachable from itself would otherwise be walked forever.
        if (module.State is not PickleDict attributes || !onPath.Add(module))
        {
            return;
        }

        foreach (var (key, value) in attributes.Items)
        {
            if (++visits > MaxVisits)
            {
                throw new InvalidInputException($"The checkpoint's object tree has more than {MaxVisits} entries.");
            }

            if (key is not string name)
            {
                continue;
            }

            switch (value)
            {
                case TensorReference tensor:
                    found.Add(new(prefix + name, tensor));
                    break;
                case PickleObject submodule:
                    CollectModule(submodule, $"{prefix}{name}.", depth + 1, ref visits, onPath, found);
                    break;
            }
        }

        onPath.Remove(module);
    }
}
