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
}
