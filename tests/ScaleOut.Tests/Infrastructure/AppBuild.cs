namespace WeightShare.ScaleOut.Tests.Infrastructure;

/// <summary>Where the build put the app these tests start (src/Web's output of this configuration).</summary>
public static class AppBuild
{
#if DEBUG
    private const string Configuration = "Debug";
#else
    private const string Configuration = "Release";
#endif

    public static string WebDll { get; } = Find();

    public static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "fixtures", name);

    private static string Find()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "WeightShareWeb.sln")))
        {
            root = root.Parent;
        }
        Assert.True(root is not null, $"No WeightShareWeb.sln above {AppContext.BaseDirectory}.");
        var dll = Path.Combine(root.FullName, "src", "Web", "bin", Configuration, "net10.0", "WeightShare.Web.dll");
        Assert.True(File.Exists(dll), $"{dll} is missing: build the solution first.");
        return dll;
    }
}
