using WeightShare.Web;
using WeightShare.Web.Hosting;

var builder = WebApplication.CreateBuilder(args);
if (WorkerHost.IsRequested(builder.Configuration))
{
    // README "Scaling out": a process that runs jobs and serves nothing.
    await WorkerHost.Build(args).RunAsync();
    return;
}
builder.AddWeb();

var app = builder.Build();
app.MapWeb();
await app.RunAsync();

/// <summary>Visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
