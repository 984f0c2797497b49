namespace WeightShare.Jobs.Data;

/// <summary>Opaque ids (api.md): 32 hex digits, time-ordered so that indexes stay compact.</summary>
public static class NewId
{
    public static string Next() => Guid.CreateVersion7().ToString("N");
}
