using System.Runtime.InteropServices;
using TorchSharp;

namespace WeightShare.Engine.Evaluation;

/// <summary>
/// A TorchScript model loaded with <c>torch.jit.load</c>: lists its tensors, replaces the shared weights in place and
/// measures classification figures. Not thread-safe: one evaluation at a time.
/// </summary>
public sealed class ScriptedModel : ModelBackend, IAutogradModel
{
    private readonly torch.jit.ScriptModule _module;
    private readonly Dictionary<string, torch.Tensor> _parameters;
    private readonly torch.Device _device;

    private ScriptedModel(torch.jit.ScriptModule module, torch.Device device)
    {
        _module = module;
        _device = device;
        _module.eval();
        _parameters = _module.named_parameters().ToDictionary(p => p.name, p => (torch.Tensor)p.parameter);
        var buffers = _module.named_buffers().Where(b => !_parameters.ContainsKey(b.name));
        Tensors = _parameters.Select(p => Describe(p.Key, p.Value, isParameter: true))
            .Concat(buffers.Select(b => Describe(b.name, b.buffer, isParameter: false)))
            .ToArray();
    }

    /// <inheritdoc />
    internal override IAutogradModel? Autograd => this;

    /// <summary>Every parameter and buffer, parameters first, in the module's order.</summary>
    public override IReadOnlyList<ModelTensor> Tensors { get; }

    /// <summary>Loads a TorchScript file onto <paramref name="device"/>; a file torch.jit.load refuses is an input error.</summary>
    public static ScriptedModel Load(string path, ComputeDevice device = ComputeDevice.Cpu)
    {
        var target = TorchDevices.Resolve(device);
        torch.jit.ScriptModule module;
        try
        {
            module = torch.jit.load(path, target);
        }
        catch (ExternalException e)
        {
            throw new InvalidInputException($"torch.jit.load could not open the model: {FirstLine(e.Message)}", e);
        }
        return new ScriptedModel(module, target);
    }

    /// <summary>Reads the current values of float parameters <paramref name="names"/>, concatenated in that order.</summary>
    public override float[] ReadFlat(IReadOnlyList<string> names)
    {
        var total = names.Sum(n => Parameter(n).numel());
        var flat = new float[total];
        var offset = 0;
        foreach (var name in names)
        {
            using var scope = torch.NewDisposeScope();
            var values = Parameter(name).detach().to(torch.float32).cpu().contiguous();
            var count = (int)values.numel();
            values.data<float>().CopyTo(flat.AsSpan(offset, count), 0, 0);
            offset += count;
        }
        return flat;
    }

    /// <summary>Overwrites parameters <paramref name="names"/> with consecutive slices of <paramref name="flat"/>.</summary>
    public override void WriteFlat(IReadOnlyList<string> names, ReadOnlySpan<float> flat)
    {
        var offset = 0;
        using var noGrad = torch.no_grad();
        foreach (var name in names)
        {
            var parameter = Parameter(name);
            var count = (int)parameter.numel();
            var slice = flat.Slice(offset, count);
            if (_device.type == DeviceType.CPU && parameter.dtype == torch.float32 && parameter.is_contiguous() && count <= int.MaxValue / sizeof(float))
            {
                // Straight into the parameter's memory as one block copy: no temporary tensor per evaluation, and not
                // TensorAccessor.CopyFrom, which copies element by element (85 ms against 4 ms for a ResNet-18's
                // 11.2 M weights: a fifth of a search evaluation).
                slice.CopyTo(MemoryMarshal.Cast<byte, float>(parameter.bytes));
            }
            else
            {
                using var source = torch.tensor(slice.ToArray(), parameter.shape);
                parameter.copy_(source);
            }
            offset += count;
        }
        if (offset != flat.Length)
        {
            throw new ArgumentException($"{flat.Length} values were given for {offset} weights.", nameof(flat));
        }
    }

    /// <inheritdoc />
    public override void Dispose() => _module.Dispose();

    /// <summary>A forward pass that records autograd, for calibration.</summary>
    torch.Tensor IAutogradModel.ForwardWithGrad(torch.Tensor batch) => Forward(batch);

    /// <summary>Clears every parameter's gradient.</summary>
    void IAutogradModel.ZeroGrad()
    {
        using var scope = torch.NewDisposeScope();
        foreach (var parameter in _parameters.Values)
        {
            parameter.grad?.zero_();
        }
    }

    /// <summary>The live parameter tensor <paramref name="name"/> (the module's own, not a copy).</summary>
    torch.Tensor IAutogradModel.LiveParameter(string name) => Parameter(name);

    /// <summary>
    /// Images of several channels go to the model channels-last on the CPU: oneDNN's convolutions then skip a reorder
    /// of every activation (the ResNet-18 of docs/results.md: 0.36 ms a sample against 0.43). Turned off for good by
    /// the first batch a model cannot run that way (one that views its input as flat, for example).
    /// </summary>
    internal bool ChannelsLast { get; set; } = true;

    /// <inheritdoc />
    protected override torch.Tensor Forward(torch.Tensor batch)
    {
        if (ChannelsLast && _device.type == DeviceType.CPU && batch.dim() == 4 && batch.shape[1] > 1)
        {
            using var nhwc = batch.permute(0, 2, 3, 1);
            using var packed = nhwc.contiguous();
            using var strided = packed.permute(0, 3, 1, 2);
            try
            {
                return Run(strided);
            }
            catch (InvalidInputException)
            {
                ChannelsLast = false;
            }
        }
        return Run(batch);
    }

    private torch.Tensor Run(torch.Tensor batch)
    {
        object result;
        try
        {
            result = _module.forward(batch);
        }
        catch (ExternalException e)
        {
            throw new InvalidInputException(
                $"The model could not run a batch of shape [{string.Join(", ", batch.shape)}]: {InterpreterReason(e.Message)}", e);
        }
        return result switch
        {
            torch.Tensor tensor => tensor,
            object[] { Length: > 0 } tuple when tuple[0] is torch.Tensor first => first,
            _ => throw new InvalidInputException($"The model returned {result?.GetType().Name ?? "nothing"}; a classifier returns a tensor of logits."),
        };
    }

    private torch.Tensor Parameter(string name) =>
        _parameters.TryGetValue(name, out var parameter) ? parameter : throw new ArgumentException($"The model has no parameter '{name}'.", nameof(name));

    private static ModelTensor Describe(string name, torch.Tensor tensor, bool isParameter) =>
        new(name, tensor.shape, isParameter, tensor.is_floating_point());

    internal static string FirstLine(string message) => message.Split('\n', 2)[0].Trim();

    private const int MaxReasonLength = 400;

    /// <summary>
    /// What a failed TorchScript call says: its first line, and when that line only announces the interpreter's
    /// traceback ("The following operation failed in the TorchScript interpreter."), also the error the traceback ends
    /// with (e.g. "RuntimeError: Given groups=1, ... but got 3 channels instead"), which is the actual reason. The
    /// traceback itself (dozens of lines of serialized code) stays out, and the reason is cut to a bounded length.
    /// </summary>
    internal static string InterpreterReason(string message)
    {
        var first = FirstLine(message);
        if (!message.Contains("Traceback of TorchScript", StringComparison.Ordinal))
        {
            return first;
        }
        // The traceback's frames and code are indented; the error after them is not (and may span a few lines).
        var lines = message.Split('\n').Select(l => l.TrimEnd()).ToArray();
        var end = Array.FindLastIndex(lines, l => l.Length > 0);
        var start = end;
        while (start > 0 && lines[start - 1].Length > 0 && !char.IsWhiteSpace(lines[start - 1][0]))
        {
            start--;
        }
        var reason = string.Join(" ", lines[start..(end + 1)].Where(l => l.Length > 0));
        if (reason.Length > MaxReasonLength)
        {
            reason = string.Concat(reason.AsSpan(0, MaxReasonLength - 1), "…");
        }
        return reason.Length == 0 || reason == first ? first : $"{first} {reason}";
    }
}
