using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace WeightShare.Web.Tests.Api;

/// <summary>
/// The built app started as README starts it (from the repository root, its appsettings.json the content root's):
/// ASPNETCORE_URLS, the Urls variable and --urls each move it to another port.
/// </summary>
public sealed class ListeningAddressTests : IDisposable
{
    private readonly string _data = Directory.CreateTempSubdirectory("wsw-urls-").FullName;

    [Theory]
    [InlineData("ASPNETCORE_URLS")]
    [InlineData("Urls")]
    [InlineData("--urls")]
    public async Task App_StartedWithAnAddress_AnswersThereOnly(string how)
    {
        // Arrange
        var port = FreePort();
        var address = $"http://127.0.0.1:{port}";
        var root = RepositoryRoot();
        var app = Path.Combine(root, "src", "Web", "bin", Configuration(), "net10.0", "WeightShare.Web.dll");
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = root, RedirectStandardOutput = true, RedirectStandardError = true, ArgumentList = { app } };
        start.Environment["WeightShare__DataDirectory"] = _data;
        if (how == "--urls")
        {
            start.ArgumentList.Add("--urls");
            start.ArgumentList.Add(address);
        }
        else
        {
            start.Environment[how] = address;
        }

        // Act
        using var process = Process.Start(start)!;
        var log = process.StandardOutput.ReadToEndAsync();
        try
        {
            using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            var answered = await WaitForHealthAsync(client, $"{address}/health", process);

            // Assert
            Assert.True(answered, $"Nothing answered on {address} within 90 s: {(process.HasExited ? await log : "still running")}");
            await Assert.ThrowsAnyAsync<HttpRequestException>(() => client.GetAsync("http://127.0.0.1:5080/health"));
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    public void Dispose() => Directory.Delete(_data, recursive: true);

    private static async Task<bool> WaitForHealthAsync(HttpClient client, string url, Process process)
    {
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (DateTime.UtcNow < deadline && !process.HasExited)
        {
            try
            {
                using var response = await client.GetAsync(url);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return true;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }
            await Task.Delay(250);
        }
        return false;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "WeightShareWeb.sln")))
            {
                return directory.FullName;
            }
        }
        throw new InvalidOperationException($"No WeightShareWeb.sln above {AppContext.BaseDirectory}.");
    }

    // The configuration this test assembly was built in, which the solution build used for src/Web too.
    private static string Configuration() => new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name;
}
