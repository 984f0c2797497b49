namespace WeightShare.Web.Api;

/// <summary>A request the API refuses with a given status and a detail that says what is wrong.</summary>
public sealed class ApiProblemException(int statusCode, string detail) : Exception(detail)
{
    public int StatusCode { get; } = statusCode;

    public static ApiProblemException NotFound(string what, string id) => new(StatusCodes.Status404NotFound, $"There is no {what} with id '{id}'.");
}
