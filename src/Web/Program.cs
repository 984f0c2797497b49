using WeightShare.Web;

var builder = WebApplication.CreateBuilder(args);
builder.AddWeb();

var app = builder.Build();
app.MapWeb();
app.Run();

/// <summary>Visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
