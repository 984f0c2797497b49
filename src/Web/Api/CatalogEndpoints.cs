using System.Text.Json;
using WeightShare.Engine;
using WeightShare.Engine.Checkpoints;
using WeightShare.Engine.Datasets;
using WeightShare.Engine.Wsz;
using WeightShare.Jobs.Catalog;
using WeightShare.Jobs.Runs;

namespace WeightShare.Web.Api;

/// <summary>/api/models and /api/datasets: uploads and their summaries.</summary>
public static class CatalogEndpoints
{
    public static IEndpointRouteBuilder MapCatalogEndpoints(this IEndpointRouteBuilder routes)
    {
        var models = routes.MapGroup("/api/models").WithTags("Models");
        models.MapPost("/", UploadModelAsync)
            .WithSummary("Upload a model")
            .WithDescription("One file in the form field 'file': TorchScript (evaluable, so it can be searched), a PyTorch state_dict zip or safetensors. Nothing in it is executed. Answers 201 with its summary.")
            .AcceptsUpload().Produces<ModelInfo>(StatusCodes.Status201Created);
        models.MapGet("/", (RunQueries queries, CancellationToken ct) => queries.ModelsAsync(ct))
            .WithSummary("List models").WithDescription("Every uploaded model, newest first.");
        models.MapGet("/{id}", async (string id, RunQueries queries, CancellationToken ct) =>
                EndpointConventions.OkOrNotFound(await queries.ModelAsync(id, ct), "model", id))
            .WithSummary("Get a model").WithDescription("Format, tensors, parameters, shared parameters and whether it can be evaluated.")
            .ProducesOrNotFound<ModelInfo>();

        var datasets = routes.MapGroup("/api/datasets").WithTags("Datasets");
        datasets.MapPost("/", UploadDatasetAsync)
            .WithSummary("Upload validation data")
            .WithDescription("The form field 'file' once (CIFAR .tar.gz, .npz or safetensors with x and y) or twice (IDX images and labels), and an optional 'preprocessing' field of JSON {scale, mean, std, channels}. Data with NaN, infinite values, labels out of range or one class is refused. Answers 201 with its summary, including the value range after preprocessing.")
            .AcceptsUpload().Produces<DatasetInfo>(StatusCodes.Status201Created);
        datasets.MapGet("/", (RunQueries queries, CancellationToken ct) => queries.DatasetsAsync(ct))
            .WithSummary("List datasets").WithDescription("Every uploaded dataset, newest first.");
        datasets.MapGet("/{id}", async (string id, RunQueries queries, CancellationToken ct) =>
                EndpointConventions.OkOrNotFound(await queries.DatasetAsync(id, ct), "dataset", id))
            .WithSummary("Get a dataset").WithDescription("Format, samples, classes, sample shape and value range after preprocessing.")
            .ProducesOrNotFound<DatasetInfo>();
        return routes;
    }

    private static async Task<IResult> UploadModelAsync(HttpRequest request, ModelCatalog catalog, CancellationToken cancellationToken)
    {
        var form = await UploadForm.ReadAsync(request, cancellationToken, CheckpointReader.CheckHead);
        var files = UploadForm.Files(form);
        if (files.Count != 1)
        {
            throw new InvalidInputException($"A model is one file; {files.Count} were sent.");
        }
        // Uploads may be larger than this (WeightShare:MaxUploadBytes), but such a model would fail only when its
        // first solution is written; refused here, before it is hashed and stored.
        if (files[0].Length > WszBuilder.MaxOriginalBytes)
        {
            throw new ApiProblemException(StatusCodes.Status413PayloadTooLarge,
                $"The model ({files[0].Length:N0} bytes) is larger than the {WszBuilder.MaxOriginalBytes:N0} bytes a .wsz file can hold: " +
                "the format rebuilds a model in one .NET byte array, at most Array.MaxLength bytes.");
        }
        await using var content = files[0].OpenReadStream();
        var model = await catalog.AddAsync(content, files[0].FileName, cancellationToken);
        return TypedResults.Created($"/api/models/{model.Id}", ModelInfo.Of(model));
    }

    private static async Task<IResult> UploadDatasetAsync(HttpRequest request, DatasetCatalog catalog, CancellationToken cancellationToken)
    {
        var form = await UploadForm.ReadAsync(request, cancellationToken, DatasetReader.CheckHead);
        var files = UploadForm.Files(form);
        var preprocessing = ParsePreprocessing(form["preprocessing"]);
        var streams = files.Select(f => f.OpenReadStream()).ToArray();
        try
        {
            var uploads = files.Select((f, i) => new DatasetUpload(streams[i], f.FileName)).ToArray();
            var dataset = await catalog.AddAsync(uploads, preprocessing, cancellationToken);
            return TypedResults.Created($"/api/datasets/{dataset.Id}", DatasetInfo.Of(dataset));
        }
        finally
        {
            foreach (var stream in streams)
            {
                await stream.DisposeAsync();
            }
        }
    }

    /// <summary>The optional preprocessing field: api.md's {scale, mean, std, channels}.</summary>
    public static Preprocessing? ParsePreprocessing(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return null;
        }
        try
        {
            return JsonSerializer.Deserialize<Preprocessing>(json, StrictJson.Options)
                ?? throw new InvalidInputException("The preprocessing field is null; leave it out for none.");
        }
        catch (JsonException e)
        {
            throw new InvalidInputException($"The preprocessing field is not valid JSON of the form {{\"scale\":0.00392,\"mean\":[0.5],\"std\":[0.5],\"channels\":1}}: {e.Message}", e);
        }
    }
}
