using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace WeightShare.Web.Tests.Infrastructure;

/// <summary>
/// Keeps the errors every test host logs, with the trace id of the request that logged them, so a test that gets
/// an unexpected 500 can quote the server's exception (the problem body carries only the trace id).
/// </summary>
public sealed class ServerErrors : ILoggerProvider
{
    private static readonly ConcurrentQueue<(string TraceId, string Text)> Entries = new();

    /// <summary>The errors logged while serving the request whose problem body is <paramref name="body"/>.</summary>
    public static string For(string body)
    {
        var matching = Entries.Where(e => e.TraceId.Length > 0 && body.Contains(e.TraceId, StringComparison.Ordinal)).Select(e => e.Text);
        return string.Join(Environment.NewLine, matching);
    }

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Error;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                var traceId = Activity.Current?.TraceId.ToHexString() ?? "";
                Entries.Enqueue((traceId, $"{logLevel} {category}: {formatter(state, exception)}{Environment.NewLine}{exception}"));
            }
        }
    }
}
