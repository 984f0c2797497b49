namespace WeightShare.Engine;

/// <summary>
/// A file or setting the user supplied cannot be used. The message says what is wrong in words a user can act on;
/// hosts map it to an HTTP 400.
/// </summary>
public class InvalidInputException : Exception
{
    public InvalidInputException(string message)
        : base(message)
    {
    }

    public InvalidInputException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
