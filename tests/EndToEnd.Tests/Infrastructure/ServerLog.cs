using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace WeightShare.EndToEnd.Tests.Infrastructure;

/// <summary>Keeps the app's warnings and errors, so a test can fail on trouble the browser never sees.</summary>
public sealed class ServerLog : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _entries = new();

    public int Count => _entries.Count;

    /// <summary>The entries logged after the first <paramref name="skip"/>.</summary>
    public IReadOnlyList<string> Since(int skip) => _entries.Skip(skip).ToArray();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(ServerLog owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                var firstLine = exception?.ToString().Split('\n').Take(3) ?? [];
                owner._entries.Enqueue($"{logLevel} {category}: {formatter(state, exception)} {string.Join(" | ", firstLine)}");
            }
        }
    }
}
