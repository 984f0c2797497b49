namespace WeightShare.Engine.Compression;

/// <summary>What the search minimises beside the validation error.</summary>
public enum SizeObjective
{
    /// <summary>Distinct shared values (the paper's second objective).</summary>
    SharedValues,

    /// <summary>Bytes of the .wsz file the solution is written to: what a device stores.</summary>
    Bytes,
}
