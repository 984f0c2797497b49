namespace WeightShare.Engine.Checkpoints.Pickle;

/// <summary>
/// An instance of a TorchScript class (<c>__torch__.*</c>) as plain data: the class name and the state a BUILD
/// opcode gave it (for modules, a dict of attribute name to value). No code of the class exists or runs.
/// </summary>
public sealed class PickleObject
{
    /// <summary>Creates an instance with no state yet.</summary>
    /// <param name="className">The dotted class name, e.g. <c>__torch__.torch.nn.modules.conv.Conv2d</c>.</param>
    public PickleObject(string className) => ClassName = className;

    /// <summary>The dotted class name.</summary>
    public string ClassName { get; }

    /// <summary>The state from BUILD, or null when the pickle gave none.</summary>
    public object? State { get; internal set; }
}
