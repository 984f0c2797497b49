namespace WeightShare.Fuzz;

/// <summary>
/// One harness: feeds an input to one reader or decoder of the Engine. The contract every target checks is the
/// reader's own: it returns a value or throws <see cref="Engine.InvalidInputException"/> (of which
/// <see cref="Engine.UnsupportedFormatException"/> is one); <see cref="Contract"/> lets those pass and anything else
/// escape, so afl records it as a crash.
/// </summary>
internal abstract class FuzzTarget
{
    /// <summary>The name given on the command line and used for the corpus folder (tools/Fuzz/corpus/NAME).</summary>
    public abstract string Name { get; }

    /// <summary>What the target feeds its input to, in a line.</summary>
    public abstract string Summary { get; }

    /// <summary>Runs the reader on <paramref name="input"/>; <paramref name="scratch"/> holds it as a file for readers that take a path.</summary>
    public abstract void Run(byte[] input, ScratchFiles scratch);
}
