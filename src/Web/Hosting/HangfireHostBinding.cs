using Hangfire;
using Hangfire.AspNetCore;
using Hangfire.Logging;

namespace WeightShare.Web.Hosting;

/// <summary>
/// Hangfire keeps its log provider and job activator in process-wide statics that every host's AddHangfire sets, and
/// reads them at times of its own: each job it creates instantiates its filter attributes, whose constructors ask the
/// static provider for a logger. With two hosts in one process (every test run, an app that embeds this one) the
/// last host to start owned the statics; once it stopped, creating a run in the other host failed with
/// ObjectDisposedException from that host's LoggerFactory (an HTTP 500 seen in CI). Here each host registers its own
/// job activator, and the log provider outlives the host that set it: loggers asked for after that host stopped write
/// nowhere instead of throwing.
/// </summary>
public static class HangfireHostBinding
{
    /// <summary>Hangfire on the <see cref="JobStorage"/> that AddJobs registered, with this host's activator and logging.</summary>
    public static IServiceCollection AddHangfireBoundToThisHost(this IServiceCollection services)
    {
        // Hangfire's own registration would take JobActivator.Current: whichever host configured Hangfire last.
        services.AddSingleton<JobActivator>(provider => new AspNetCoreJobActivator(provider.GetRequiredService<IServiceScopeFactory>()));
        services.AddHangfire((provider, configuration) => configuration
            .UseStorage(provider.GetRequiredService<JobStorage>())
            .UseLogProvider(new HostLogProvider(provider.GetRequiredService<ILoggerFactory>())));
        return services;
    }

    private sealed class HostLogProvider(ILoggerFactory factory) : ILogProvider
    {
        private readonly AspNetCoreLogProvider _host = new(factory);

        public ILog GetLogger(string name)
        {
            try
            {
                return _host.GetLogger(name);
            }
            catch (ObjectDisposedException)
            {
                return Silent.Instance;
            }
        }
    }

    private sealed class Silent : ILog
    {
        public static readonly Silent Instance = new();

        public bool Log(Hangfire.Logging.LogLevel logLevel, Func<string>? messageFunc, Exception? exception = null) => false;
    }
}
