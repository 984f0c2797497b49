using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace WeightShare.ScaleOut.Tests.Infrastructure;

/// <summary>
/// One process of the app's own build (src/Web's output, started with `dotnet`), as README's "Scaling out" starts
/// them: a web process, a worker, or the embedded default. Its output is kept for the failure message.
/// </summary>
public sealed class AppProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private AppProcess(string name, Process process, Uri? address)
    {
        Name = name;
        _process = process;
        Address = address;
        process.OutputDataReceived += (_, e) => Keep(e.Data);
        process.ErrorDataReceived += (_, e) => Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public string Name { get; }

    /// <summary>Where a web process answers; null for a worker.</summary>
    public Uri? Address { get; }

    public bool HasExited => _process.HasExited;

    /// <summary>The last lines the process wrote, for a failure message.</summary>
    public string Output => string.Join(Environment.NewLine, _output.TakeLast(60));

    /// <summary>Starts a web process on a free loopback port and waits until /health answers.</summary>
    public static async Task<AppProcess> StartWebAsync(string name, IDictionary<string, string> settings)
    {
        var address = new Uri($"http://127.0.0.1:{FreePort()}");
        var process = new AppProcess(name, Start(settings, address), address);
        try
        {
            await process.WaitHealthyAsync();
            return process;
        }
        catch
        {
            // A process that failed to start is not left running for the next test.
            await process.DisposeAsync();
            throw;
        }
    }

    private async Task WaitHealthyAsync()
    {
        var (name, process) = (Name, this);
        using var http = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        while (true)
        {
            Assert.False(process.HasExited, $"{name} exited while starting:\n{process.Output}");
            try
            {
                using var health = await http.GetAsync("/health");
                if (health.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }
            Assert.True(DateTime.UtcNow < deadline, $"{name} did not answer /health within 90 s:\n{process.Output}");
            await Task.Delay(250);
        }
    }

    /// <summary>Starts a worker process (WeightShare:Role Worker).</summary>
    public static AppProcess StartWorker(string name, IDictionary<string, string> settings) =>
        new(name, Start(new Dictionary<string, string>(settings) { ["WeightShare__Role"] = "Worker", ["WeightShare__WorkerName"] = name }, null), null);

    /// <summary>kill -9: no shutdown, no handler, nothing flushed.</summary>
    public void KillHard()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit(10_000);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }

    private void Keep(string? line)
    {
        if (line is not null)
        {
            _output.Enqueue(line);
        }
    }

    private static Process Start(IDictionary<string, string> settings, Uri? address)
    {
        var app = AppBuild.WebDll;
        var start = new ProcessStartInfo("dotnet", [app])
        {
            WorkingDirectory = Path.GetDirectoryName(app)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        if (address is not null)
        {
            start.Environment["ASPNETCORE_URLS"] = address.ToString().TrimEnd('/');
        }
        foreach (var (key, value) in settings)
        {
            start.Environment[key] = value;
        }
        return Process.Start(start) ?? throw new InvalidOperationException($"dotnet {app} did not start.");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
