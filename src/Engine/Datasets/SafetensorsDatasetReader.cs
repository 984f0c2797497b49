using WeightShare.Engine.Checkpoints;
using WeightShare.Engine.Tensors;

namespace WeightShare.Engine.Datasets;

/// <summary>safetensors files holding a tensor x (samples) and a tensor y (labels), or x alone.</summary>
public static class SafetensorsDatasetReader
{
    /// <summary>Reads x and y from the file at <paramref name="path"/>.</summary>
    public static RawDataset Read(string path)
    {
        var header = SafetensorsFile.ReadHeader(path);
        var x = header.Find("x") ?? throw new InvalidInputException("The safetensors file has no tensor 'x' (the samples).");
        var y = header.Find("y");
        if (x.ElementCount > DatasetFiles.MaxBytes / 4)
        {
            throw new InvalidInputException("Tensor x is larger than a dataset here can be.");
        }
        var xValues = FloatCodec.DecodeFloats(SafetensorsFile.ReadBytes(path, x, DatasetFiles.MaxBytes), x.DType);
        var yValues = y is null ? null : FloatCodec.DecodeFloats(SafetensorsFile.ReadBytes(path, y, DatasetFiles.MaxBytes), y.DType);
        return DatasetArrays.Build(DatasetFormat.Safetensors, x.Shape, xValues, y?.Shape, yValues, y is null || !y.DType.IsFloatingPoint(), "y");
    }
}
