namespace WeightShare.Engine.Datasets;

/// <summary>The validation-data formats users bring.</summary>
public enum DatasetFormat
{
    /// <summary>IDX image and label files (MNIST family), raw or gzip-compressed.</summary>
    Idx,

    /// <summary>A CIFAR-10 or CIFAR-100 binary archive (.tar.gz).</summary>
    Cifar,

    /// <summary>A NumPy .npz archive with arrays x and y.</summary>
    Npz,

    /// <summary>A safetensors file with tensors x and y.</summary>
    Safetensors,
}
