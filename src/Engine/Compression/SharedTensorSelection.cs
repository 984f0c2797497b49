using WeightShare.Engine.Checkpoints;
using WeightShare.Engine.Codecs;
using WeightShare.Engine.Evaluation;
using WeightShare.Engine.Tensors;

namespace WeightShare.Engine.Compression;

/// <summary>Which tensors of a model a run shares, and which small ones a codec may tune.</summary>
public static class SharedTensorSelection
{
    /// <summary>The parameters a run on data shares: floating-point, stored whole and contiguous (of rank 2 and more unless the scope says all), one per location.</summary>
    public static SharedTensor[] Shared(ModelBackend model, CheckpointLayout layout, SharedScope scope)
    {
        var stored = layout.Tensors.GroupBy(t => t.Name).ToDictionary(g => g.Key, g => g.First());
        var shared = new List<SharedTensor>();
        foreach (var tensor in model.Tensors.Where(t => t.IsParameter && t.IsFloatingPoint))
        {
            if (scope == SharedScope.Weights && tensor.Shape.Length < 2)
            {
                continue;
            }
            // Only tensors stored whole, uncompressed and contiguous in the file can be rewritten in place.
            if (stored.TryGetValue(tensor.Name, out var inFile) && inFile.FileOffset >= 0 && inFile.IsContiguous
                && inFile.ElementCount == tensor.ElementCount && inFile.DType.IsFloatingPoint())
            {
                shared.Add(new SharedTensor(tensor.Name, tensor.Shape, inFile.FileOffset, inFile.DType));
            }
        }
        if (shared.Count == 0)
        {
            throw new InvalidInputException("The model has no floating-point weights that can be shared (no conv or linear weights stored in the file).");
        }
        // Two parameters that are views of one storage would be written twice: keep the first of each location.
        return shared.GroupBy(s => s.FileOffset).Select(g => g.First()).OrderBy(s => s.FileOffset).ToArray();
    }

    /// <summary>The floating-point parameters not shared that are stored whole in the file, so that tuned values can be written back.</summary>
    public static SharedTensor[] Small(ModelBackend model, CheckpointLayout layout, IReadOnlyList<SharedTensor> shared)
    {
        var stored = layout.Tensors.GroupBy(t => t.Name).ToDictionary(g => g.Key, g => g.First());
        var sharedNames = shared.Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
        var sharedOffsets = shared.Select(s => s.FileOffset).ToHashSet();
        return model.Tensors
            .Where(t => t.IsParameter && t.IsFloatingPoint && !sharedNames.Contains(t.Name))
            .Where(t => stored.TryGetValue(t.Name, out var inFile) && inFile.FileOffset >= 0 && inFile.IsContiguous
                && inFile.ElementCount == t.ElementCount && inFile.DType.IsFloatingPoint() && !sharedOffsets.Contains(inFile.FileOffset))
            .Select(t => new SharedTensor(t.Name, t.Shape, stored[t.Name].FileOffset, stored[t.Name].DType))
            .GroupBy(s => s.FileOffset).Select(g => g.First())
            .OrderBy(s => s.FileOffset)
            .ToArray();
    }

    /// <summary>
    /// The stored tensors a data-free run shares, from the file alone: floating-point tensors stored whole and contiguous
    /// (of rank 2 and more; with the all-trainable scope every one but batch-norm statistics, since a file alone does not say which tensors are trained), one per location.
    /// </summary>
    public static StoredTensor[] Stored(CheckpointLayout layout, SharedScope scope)
    {
        var shared = layout.Tensors
            .Where(t => t.DType.IsFloatingPoint() && t.FileOffset >= 0 && t.IsContiguous && t.ElementCount > 0)
            .Where(t => scope == SharedScope.AllTrainable
                ? !t.Name.EndsWith("running_mean", StringComparison.Ordinal) && !t.Name.EndsWith("running_var", StringComparison.Ordinal)
                : t.Shape.Length >= 2)
            .GroupBy(t => t.FileOffset).Select(g => g.First())
            .OrderBy(t => t.FileOffset)
            .ToArray();
        return shared.Length > 0
            ? shared
            : throw new InvalidInputException("The file has no floating-point tensors of rank 2 or more stored whole, so there is nothing to share.");
    }
}
