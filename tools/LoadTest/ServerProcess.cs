using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace WeightShare.LoadTest;

/// <summary>
/// The app under load: its own build started with `dotnet` as a separate process on a free loopback port, with a fresh
/// data directory (SQLite file and stored files) and in-process jobs, as README's "Set-up" runs it. Its output goes to a
/// log file; lines the console logger marks "fail:" or "crit:" are counted, since a server error shows there even when
/// a client sees only a closed connection; "warn:" lines are kept too.
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StreamWriter _log;
    private readonly ConcurrentQueue<string> _failures = new();
    private readonly ConcurrentQueue<string> _warnings = new();
    private readonly Lock _logLock = new();
    private ConcurrentQueue<string>? _pending;
    private string? _pendingLine;

    private ServerProcess(Process process, Uri address, StreamWriter log, string dataDirectory)
    {
        _process = process;
        Address = address;
        _log = log;
        DataDirectory = dataDirectory;
        process.OutputDataReceived += (_, e) => Keep(e.Data);
        process.ErrorDataReceived += (_, e) => Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public Uri Address { get; }

    public int Id => _process.Id;

    public string DataDirectory { get; }

    /// <summary>The "fail:"/"crit:" log lines so far, each with the line after it (the logger's category and message).</summary>
    public IReadOnlyList<string> Failures => [.. _failures];

    /// <summary>The "warn:" log lines so far, each with the line after it.</summary>
    public IReadOnlyList<string> Warnings => [.. _warnings];

    public static async Task<ServerProcess> StartAsync(string webDll, string logFile, CancellationToken cancellationToken)
    {
        if (!File.Exists(webDll))
        {
            throw new FileNotFoundException($"{webDll} is missing: build src/Web first (scripts/loadtest.sh does).", webDll);
        }
        var address = new Uri($"http://127.0.0.1:{FreePort()}");
        var data = Directory.CreateTempSubdirectory("wsw-load-").FullName;
        var start = new ProcessStartInfo("dotnet", [webDll])
        {
            WorkingDirectory = Path.GetDirectoryName(webDll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        start.Environment["ASPNETCORE_URLS"] = address.ToString().TrimEnd('/');
        start.Environment["WeightShare__DataDirectory"] = data;
        var process = Process.Start(start) ?? throw new InvalidOperationException($"dotnet {webDll} did not start.");
        var server = new ServerProcess(process, address, new StreamWriter(logFile) { AutoFlush = true }, data);
        try
        {
            await server.WaitHealthyAsync(cancellationToken);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>VmRSS now, in bytes (0 once the process is gone).</summary>
    public long ResidentBytes() => ReadStatus("VmRSS:");

    /// <summary>VmHWM: the largest resident set the process has had, in bytes.</summary>
    public long PeakResidentBytes() => ReadStatus("VmHWM:");

    public bool HasExited => _process.HasExited;

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        lock (_logLock)
        {
            _log.Dispose();
        }
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A temporary directory left behind is not worth failing the report for.
        }
    }

    private async Task WaitHealthyAsync(CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(120);
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The app exited while starting (exit code {_process.ExitCode}); see its log.");
            }
            try
            {
                using var health = await http.GetAsync(new Uri("/health", UriKind.Relative), cancellationToken);
                if (health.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("The app did not answer /health within 120 s; see its log.");
            }
            await Task.Delay(250, cancellationToken);
        }
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_logLock)
        {
            _log.WriteLine(line);
            if (_pending is not null)
            {
                _pending.Enqueue(_pendingLine + " " + line.Trim());
                _pending = null;
            }
            if (line.StartsWith("fail:", StringComparison.Ordinal) || line.StartsWith("crit:", StringComparison.Ordinal))
            {
                (_pending, _pendingLine) = (_failures, line.Trim());
            }
            else if (line.StartsWith("warn:", StringComparison.Ordinal))
            {
                (_pending, _pendingLine) = (_warnings, line.Trim());
            }
        }
    }

    private long ReadStatus(string field)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{_process.Id}/status"))
            {
                if (line.StartsWith(field, StringComparison.Ordinal))
                {
                    var kilobytes = line[field.Length..].Trim().Split(' ')[0];
                    return long.Parse(kilobytes, CultureInfo.InvariantCulture) * 1024;
                }
            }
        }
        catch (IOException)
        {
        }
        return 0;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
