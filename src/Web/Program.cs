using Hangfire;
using Microsoft.Extensions.Options;
using WeightShare.Jobs;

var builder = WebApplication.CreateBuilder(args);
builder.Services.AddJobs(builder.Configuration);
// The embedded default: Jobs' storage (in memory unless configured) and one in-process server running the runs.
builder.Services.AddHangfire((services, configuration) => configuration.UseStorage(services.GetRequiredService<JobStorage>()));
builder.Services.AddHangfireServer((services, server) => server.WorkerCount = services.GetRequiredService<IOptions<WeightShareOptions>>().Value.WorkerCount);

var app = builder.Build();
app.UseDefaultFiles();
app.UseStaticFiles();
app.MapGet("/health", () => Results.Ok(new { status = "Healthy" }));
app.Run();
