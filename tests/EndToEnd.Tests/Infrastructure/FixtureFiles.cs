namespace WeightShare.EndToEnd.Tests.Infrastructure;

/// <summary>The committed fixtures (tests/fixtures/make_fixtures.py), copied beside the tests.</summary>
public static class FixtureFiles
{
    /// <summary>TorchScript CNN for 1×28×28 Fashion-MNIST images.</summary>
    public static string CnnModel => Path("fmnist_cnn.pt");

    /// <summary>2000 Fashion-MNIST images, IDX, gzip.</summary>
    public static string Images => Path("eval-images-idx3-ubyte.gz");

    /// <summary>Their labels, IDX, gzip.</summary>
    public static string Labels => Path("eval-labels-idx1-ubyte.gz");

    private static string Path(string name) => System.IO.Path.Combine(AppContext.BaseDirectory, "fixtures", name);
}
