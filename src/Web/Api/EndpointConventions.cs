namespace WeightShare.Web.Api;

/// <summary>The metadata and answers the API's endpoints share, so OpenAPI and behaviour stay alike.</summary>
internal static class EndpointConventions
{
    /// <summary>A multipart upload endpoint for scripts: no antiforgery token, a heavy request, and the refusals an upload can get.</summary>
    public static RouteHandlerBuilder AcceptsUpload(this RouteHandlerBuilder endpoint) => endpoint
        .DisableAntiforgery()
        .IsHeavy()
        .Accepts<IFormFile>("multipart/form-data")
        .ProducesProblem(StatusCodes.Status400BadRequest)
        .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
        .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);

    /// <summary>A lookup by id: the value, or 404.</summary>
    public static RouteHandlerBuilder ProducesOrNotFound<T>(this RouteHandlerBuilder endpoint) => endpoint
        .Produces<T>()
        .ProducesProblem(StatusCodes.Status404NotFound);

    /// <summary>200 with the value, or a 404 problem naming what was looked for.</summary>
    public static IResult OkOrNotFound<T>(T? value, string what, string id) where T : class =>
        value is not null ? TypedResults.Ok(value) : throw ApiProblemException.NotFound(what, id);
}
