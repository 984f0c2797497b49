using System.IO.Compression;
using System.Text.Json;

namespace WeightShare.Engine.Tests;

/// <summary>Paths of the committed fixtures and what make_fixtures.py measured on them with real PyTorch.</summary>
internal static class Fixtures
{
    public static string Path(string name) => System.IO.Path.Combine(AppContext.BaseDirectory, "fixtures", name);

    public static double Measured(string key)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path("fixtures.json")));
        return document.RootElement.GetProperty(key).GetDouble();
    }

    /// <summary>
    /// The Fashion-MNIST evaluation images normalised the way make_fixtures.py trained on them. Read here with a few
    /// lines of its own so that the evaluation tests do not depend on the dataset readers they are not about.
    /// </summary>
    public static (float[] Features, int[] Labels) EvaluationImages()
    {
        var images = Gunzip(Path("eval-images-idx3-ubyte.gz"));
        var labels = Gunzip(Path("eval-labels-idx1-ubyte.gz"));
        const int headerBytes = 16;
        var count = labels.Length - 8;
        var mean = Measured("mean");
        var std = Measured("std");
        var features = new float[count * 784];
        for (var i = 0; i < features.Length; i++)
        {
            features[i] = (float)((images[headerBytes + i] / 255.0 - mean) / std);
        }
        return (features, labels.Skip(8).Select(b => (int)b).ToArray());
    }

    private static byte[] Gunzip(string path)
    {
        using var input = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
        using var output = new MemoryStream();
        input.CopyTo(output);
        return output.ToArray();
    }
}
