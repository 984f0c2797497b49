namespace WeightShare.Web.Tests.Infrastructure;

/// <summary>The committed fixture files, copied next to the tests.</summary>
public static class Fixtures
{
    public const string Cnn = "fmnist_cnn.pt";
    public const string Mlp = "fmnist_mlp.pt";
    public const string CnnStateDict = "fmnist_cnn_state.pt";
    public const string CnnSafetensors = "fmnist_cnn.safetensors";
    public const string CnnHalfSafetensors = "fmnist_cnn_f16.safetensors";
    public const string Regressor = "fmnist_regressor.pt";
    public const string CnnOnnx = "fmnist_cnn.onnx";
    public const string UnlabelledNpz = "eval_x.npz";
    public const string Hostile = "hostile_state.pt";
    public const string Images = "eval-images-idx3-ubyte.gz";
    public const string Labels = "eval-labels-idx1-ubyte.gz";
    public const string Npz = "eval.npz";
    public const string Cifar = "eval-cifar.tar.gz";

    /// <summary>Fashion-MNIST's pixel scale and the mean and std make_fixtures.py measured.</summary>
    public const string FashionMnistPreprocessing = """{"scale":0.00392156862745098,"mean":[0.286],"std":[0.353]}""";

    public static string PathOf(string name) => Path.Combine(AppContext.BaseDirectory, "fixtures", name);

    public static byte[] Bytes(string name) => File.ReadAllBytes(PathOf(name));
}
