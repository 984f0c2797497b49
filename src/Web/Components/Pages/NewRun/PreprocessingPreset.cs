using WeightShare.Engine.Datasets;

namespace WeightShare.Web.Components.Pages.NewRun;

/// <summary>The preprocessing presets the upload page offers; each fills the fields, which the user may still edit.</summary>
public sealed record PreprocessingPreset(string Name, Preprocessing Value)
{
    public static IReadOnlyList<PreprocessingPreset> All { get; } =
    [
        new("None (data already normalised)", Preprocessing.None),
        new("MNIST", Preprocessing.Mnist),
        new("Fashion-MNIST", Preprocessing.FashionMnist),
        new("CIFAR-10/100", Preprocessing.Cifar),
        new("ImageNet (3 channels)", Preprocessing.ImageNet),
    ];

    /// <summary>
    /// The presets made for data of <paramref name="sampleShape"/> (Fashion-MNIST and MNIST are 1 x 28 x 28, CIFAR
    /// 3 x 32 x 32, ImageNet crops 3 x 224 x 224 or so): what raw bytes of that shape most likely need. None when the
    /// shape names no dataset.
    /// </summary>
    public static IReadOnlyList<PreprocessingPreset> LikelyFor(int[] sampleShape) => sampleShape switch
    {
        [1, 28, 28] => Of(Preprocessing.FashionMnist, Preprocessing.Mnist),
        [3, 32, 32] => Of(Preprocessing.Cifar),
        [3, >= 64, >= 64] => Of(Preprocessing.ImageNet),
        _ => [],
    };

    private static PreprocessingPreset[] Of(params Preprocessing[] values) => All.Where(p => values.Contains(p.Value)).ToArray();
}
