using WeightShare.Engine;
using WeightShare.Engine.Checkpoints.Pickle;

namespace WeightShare.Fuzz.Targets;

/// <summary>The restricted unpickler on its own (the data.pkl of a .pt file), under both global policies.</summary>
internal sealed class PickleTarget : FuzzTarget
{
    public override string Name => "pickle";

    public override string Summary => "Unpickler.Load with the state_dict policy, then the TorchScript one";

    public override void Run(byte[] input, ScratchFiles scratch)
    {
        try
        {
            _ = Unpickler.Load(input, GlobalPolicy.StateDict, "data.pkl");
        }
        catch (InvalidInputException)
        {
            // A refusal under the narrower policy is an answer; the wider one may still go further.
        }

        _ = Unpickler.Load(input, GlobalPolicy.TorchScript, "data.pkl");
    }
}
