namespace WeightShare.EndToEnd.Tests.Infrastructure;

/// <summary>The committed fixtures (tests/fixtures/make_fixtures.py), copied beside the tests.</summary>
public static class FixtureFiles
{
    /// <summary>TorchScript CNN for 1×28×28 Fashion-MNIST images.</summary>
    public static string CnnModel => Path("fmnist_cnn.pt");

    /// <summary>The same CNN's state_dict in float16, as safetensors (tests/fixtures/make_weight_only.py): weights, no architecture.</summary>
    public static string CnnHalfSafetensors => Path("fmnist_cnn_f16.safetensors");

    /// <summary>2000 Fashion-MNIST images, IDX, gzip.</summary>
    public static string Images => Path("eval-images-idx3-ubyte.gz");

    /// <summary>Their labels, IDX, gzip.</summary>
    public static string Labels => Path("eval-labels-idx1-ubyte.gz");

    private static string Path(string name) => System.IO.Path.Combine(AppContext.BaseDirectory, "fixtures", name);
}
