using WeightShare.Engine;

namespace WeightShare.Fuzz;

/// <summary>The readers' contract: a value, or the product's refusal. Everything else is a finding.</summary>
internal static class Contract
{
    /// <summary>Runs <paramref name="target"/> on <paramref name="input"/>; returns the refusal's message, or null when the reader returned.</summary>
    public static string? Check(FuzzTarget target, byte[] input, ScratchFiles scratch)
    {
        try
        {
            target.Run(input, scratch);
            return null;
        }
        catch (InvalidInputException refusal)
        {
            // UnsupportedFormatException is an InvalidInputException too: both are answers the product gives users.
            return refusal.Message;
        }
    }
}
