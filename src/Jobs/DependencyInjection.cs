using Microsoft.Extensions.DependencyInjection;

namespace WeightShare.Jobs;

/// <summary>Registers the job layer. Runs, persistence and the file store arrive with the Jobs issue.</summary>
public static class DependencyInjection
{
    public static IServiceCollection AddJobs(this IServiceCollection services) => services;
}
