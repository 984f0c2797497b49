namespace WeightShare.Engine.Pipeline;

/// <summary>A finished solution's two files, written to scratch paths, and the names a user downloads them under.</summary>
/// <param name="CompressedPath">The .wsz file.</param>
/// <param name="CompressedName">Its download name, e.g. <c>fmnist_cnn-k19-merged.wsz</c>.</param>
/// <param name="CheckpointPath">The checkpoint with the shared weights, in the uploaded format.</param>
/// <param name="CheckpointName">Its download name, e.g. <c>fmnist_cnn-k19-merged.pt</c>.</param>
public sealed record SolutionFiles(string CompressedPath, string CompressedName, string CheckpointPath, string CheckpointName);
