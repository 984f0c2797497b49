using System.Text.Json;
using WeightShare.Engine;
using WeightShare.Jobs.Runs;

namespace WeightShare.Web.Api;

/// <summary>/api/runs: start, list, watch, cancel and delete runs.</summary>
public static class RunEndpoints
{
    public static IEndpointRouteBuilder MapRunEndpoints(this IEndpointRouteBuilder routes)
    {
        var runs = routes.MapGroup("/api/runs").WithTags("Runs");
        runs.MapPost("/", CreateAsync)
            .WithSummary("Start a run")
            .WithDescription("Queues a compression run of an uploaded model on an uploaded dataset. Every setting but the two ids has a default; fields the contract does not have are refused. Answers 202 with the run and a Location header.")
            .Accepts<CreateRunRequest>("application/json")
            .Produces<RunInfo>(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
        runs.MapGet("/", (RunQueries queries, CancellationToken ct) => queries.RunsAsync(ct))
            .WithSummary("List runs").WithDescription("Every run, newest first, with its status, progress and figures.");
        runs.MapGet("/{id}", async (string id, RunQueries queries, CancellationToken ct) =>
                EndpointConventions.OkOrNotFound(await queries.RunAsync(id, ct), "run", id))
            .WithSummary("Get a run").WithDescription("Status, phase, progress, baseline figures, timings and settings of one run.")
            .ProducesOrNotFound<RunInfo>();
        runs.MapPost("/{id}/cancel", async Task<IResult> (string id, RunCommands commands, RunQueries queries, CancellationToken ct) =>
                await commands.CancelAsync(id, ct) ? TypedResults.Accepted($"/api/runs/{id}", await queries.RunAsync(id, ct)) : throw ApiProblemException.NotFound("run", id))
            .WithSummary("Cancel a run").WithDescription("Asks a queued or running run to stop; a running job notices within CancelPollInterval. Answers 202 with the run.")
            .Produces<RunInfo>(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status404NotFound);
        runs.MapPost("/{id}/stop", async Task<IResult> (string id, RunCommands commands, RunQueries queries, CancellationToken ct) =>
                await commands.StopSearchAsync(id, ct) ? TypedResults.Accepted($"/api/runs/{id}", await queries.RunAsync(id, ct)) : throw ApiProblemException.NotFound("run", id))
            .WithSummary("Stop the search and keep its front")
            .WithDescription("\"Stop and keep\": the search ends at its last stored generation (the first generation is always completed) and the run goes on to refine and finish that front, ending Succeeded with solutions. A queued run is canceled; a run past its search is not changed. Answers 202 with the run.")
            .Produces<RunInfo>(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status404NotFound);
        runs.MapPatch("/{id}", PatchAsync)
            .WithSummary("Change a run's notes")
            .WithDescription("Body {\"notes\": \"...\"}: replaces the run's notes (null or blank clears them; at most 2,000 characters). The only field of a run that changes after it starts.")
            .Accepts<RunPatchRequest>("application/json")
            .Produces<RunInfo>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);
        runs.MapDelete("/{id}", async Task<IResult> (string id, RunCommands commands, CancellationToken ct) =>
                await commands.DeleteAsync(id, ct) ? TypedResults.NoContent() : throw ApiProblemException.NotFound("run", id))
            .WithSummary("Delete a finished run").WithDescription("Removes a final run and the output files no other run uses; 409 while it is unfinished.")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        runs.MapGet("/{id}/generations", async (string id, RunQueries queries, CancellationToken ct) =>
                EndpointConventions.OkOrNotFound(await queries.GenerationsAsync(id, ct), "run", id))
            .WithSummary("A run's generations").WithDescription("Each completed search generation: hypervolume, evaluations, cache hits and the front's points.")
            .ProducesOrNotFound<IReadOnlyList<GenerationInfo>>();
        runs.MapGet("/{id}/solutions", async (string id, RunQueries queries, CancellationToken ct) =>
                EndpointConventions.OkOrNotFound(await queries.SolutionsAsync(id, ct), "run", id))
            .WithSummary("A run's solutions").WithDescription("The final solutions with test accuracy, bits per weight, ratios, bytes and whether their files are ready.")
            .ProducesOrNotFound<IReadOnlyList<SolutionInfo>>();
        runs.MapGet("/{id}/solutions.csv", async (string id, RunQueries queries, CancellationToken ct) =>
                Csv(CsvExports.Solutions(await queries.SolutionsAsync(id, ct) ?? throw ApiProblemException.NotFound("run", id)), $"run-{id}-solutions.csv"))
            .WithSummary("A run's solutions as CSV")
            .WithDescription("The final solutions, one row each, with a column per codec gene; the same figures as GET /api/runs/{id}/solutions.")
            .Produces(StatusCodes.Status200OK, contentType: "text/csv")
            .ProducesProblem(StatusCodes.Status404NotFound);
        runs.MapGet("/{id}/evaluations.csv", async (string id, RunQueries queries, CancellationToken ct) =>
                Csv(CsvExports.Evaluations(await queries.GenerationsAsync(id, ct) ?? throw ApiProblemException.NotFound("run", id)), $"run-{id}-evaluations.csv"))
            .WithSummary("Every evaluated point as CSV")
            .WithDescription("Each member of each generation's population: its genes, shared values, validation metric, bytes (when the run minimises bytes) and whether it was on that generation's front.")
            .Produces(StatusCodes.Status200OK, contentType: "text/csv")
            .ProducesProblem(StatusCodes.Status404NotFound);
        runs.MapGet("/{id}/report.html", ReportAsync)
            .WithSummary("A run's report as one HTML file")
            .WithDescription("Settings, baseline, timings, the solutions and the front and hypervolume charts (inline SVG, no script), in one file that opens and prints anywhere.")
            .Produces(StatusCodes.Status200OK, contentType: "text/html")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return routes;
    }

    private static async Task<IResult> ReportAsync(string id, RunQueries queries, WeightShare.Engine.Codecs.CodecRegistry codecs, WeightShare.Engine.Metrics.MetricRegistry metrics, CancellationToken cancellationToken)
    {
        var run = await queries.RunAsync(id, cancellationToken) ?? throw ApiProblemException.NotFound("run", id);
        var model = await queries.ModelAsync(run.ModelId, cancellationToken);
        var dataset = run.DatasetId is null ? null : await queries.DatasetAsync(run.DatasetId, cancellationToken);
        var html = RunReport.Html(run, metrics.Named(run.Settings.Metric), model?.FileName ?? run.ModelId, dataset?.FileName ?? run.DatasetId ?? "none (data-free: the weights' signal-to-noise ratio)",
            await queries.GenerationsAsync(id, cancellationToken) ?? [], await queries.SolutionsAsync(id, cancellationToken) ?? [],
            codecs.RefinementLabel(run.Settings.Codec ?? ""));
        return TypedResults.File(System.Text.Encoding.UTF8.GetBytes(html), "text/html; charset=utf-8", $"run-{id}-report.html");
    }

    private static Microsoft.AspNetCore.Http.HttpResults.FileContentHttpResult Csv(string text, string fileName) =>
        TypedResults.File(System.Text.Encoding.UTF8.GetBytes(text), "text/csv; charset=utf-8", fileName);

    private static async Task<IResult> CreateAsync(HttpRequest request, RunCommands commands, RunQueries queries, CancellationToken cancellationToken)
    {
        var body = await ReadJsonAsync<CreateRunRequest>(request, "the run settings", cancellationToken);
        if (body is null || string.IsNullOrWhiteSpace(body.ModelId))
        {
            throw new InvalidInputException("modelId is required: upload a model first and pass its id (and a dataset's datasetId to measure accuracy; without one the run is data-free).");
        }
        var run = await commands.CreateAsync(body.ModelId, string.IsNullOrWhiteSpace(body.DatasetId) ? null : body.DatasetId, body, body.Notes, cancellationToken);
        return TypedResults.Accepted($"/api/runs/{run.Id}", await queries.RunAsync(run.Id, cancellationToken));
    }

    private static async Task<IResult> PatchAsync(string id, HttpRequest request, RunCommands commands, RunQueries queries, CancellationToken cancellationToken)
    {
        _ = await queries.RunAsync(id, cancellationToken) ?? throw ApiProblemException.NotFound("run", id);
        var body = await ReadJsonAsync<RunPatchRequest>(request, "the run's changes", cancellationToken)
            ?? throw new InvalidInputException("Send {\"notes\": \"...\"} to change a run's notes.");
        return await commands.SetNotesAsync(id, body.Notes, cancellationToken)
            ? TypedResults.Ok(await queries.RunAsync(id, cancellationToken))
            : throw ApiProblemException.NotFound("run", id);
    }

    private static async Task<T?> ReadJsonAsync<T>(HttpRequest request, string what, CancellationToken cancellationToken)
    {
        if (!request.HasJsonContentType())
        {
            throw new ApiProblemException(StatusCodes.Status415UnsupportedMediaType,
                $"Send {what} as application/json; the request's content type was '{request.ContentType}'.");
        }
        try
        {
            return await JsonSerializer.DeserializeAsync<T>(request.Body, StrictJson.Options, cancellationToken);
        }
        catch (JsonException e)
        {
            throw new InvalidInputException($"{char.ToUpperInvariant(what[0])}{what[1..]} are not valid JSON of the shape in docs/api.md: {e.Message}", e);
        }
    }
}
