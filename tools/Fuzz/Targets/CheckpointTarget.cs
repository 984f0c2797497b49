using WeightShare.Engine.Checkpoints;

namespace WeightShare.Fuzz.Targets;

/// <summary>The upload path of a model: the head check, then the format dispatch and whichever reader it picks.</summary>
internal sealed class CheckpointTarget : FuzzTarget
{
    public override string Name => "checkpoint";

    public override string Summary => "CheckpointReader.CheckHead + Read (dispatch by content) + Summarize";

    public override void Run(byte[] input, ScratchFiles scratch)
    {
        CheckpointReader.CheckHead(input.AsSpan(0, Math.Min(input.Length, 9)));
        _ = CheckpointReader.Summarize(CheckpointReader.Read(scratch.Write("upload", input)));
    }
}
