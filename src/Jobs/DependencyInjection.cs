using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace WeightShare.Jobs;

/// <summary>Registers the job layer (temporarily minimal while the pieces land).</summary>
public static class DependencyInjection
{
    public static IServiceCollection AddJobs(this IServiceCollection services, IConfiguration configuration) => services;
}
