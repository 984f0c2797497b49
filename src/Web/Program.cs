using WeightShare.Jobs;

var builder = WebApplication.CreateBuilder(args);
builder.Services.AddJobs();

var app = builder.Build();
app.UseDefaultFiles();
app.UseStaticFiles();
app.MapGet("/health", () => Results.Ok(new { status = "Healthy" }));
app.Run();
