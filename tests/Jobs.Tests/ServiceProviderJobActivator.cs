using Hangfire;
using Microsoft.Extensions.DependencyInjection;

namespace WeightShare.Jobs.Tests;

/// <summary>What Hangfire.AspNetCore gives the web host: jobs built from the container.</summary>
internal sealed class ServiceProviderJobActivator(IServiceProvider services) : JobActivator
{
    public override object ActivateJob(Type jobType) => ActivatorUtilities.GetServiceOrCreateInstance(services, jobType);
}
