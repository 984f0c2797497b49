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
}
