using System.Runtime.InteropServices;
using TorchSharp;

namespace WeightShare.Engine.Evaluation;

/// <summary>
/// A TorchScript model loaded with <c>torch.jit.load</c>: lists its tensors, replaces the shared weights in place and
/// measures classification figures. Not thread-safe: one evaluation at a time.
/// </summary>
public sealed class ScriptedModel : IDisposable
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

    /// <summary>Every parameter and buffer, parameters first, in the module's order.</summary>
    public IReadOnlyList<ModelTensor> Tensors { get; }

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
    public float[] ReadFlat(IReadOnlyList<string> names)
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
    public void WriteFlat(IReadOnlyList<string> names, ReadOnlySpan<float> flat)
    {
        var offset = 0;
        using var noGrad = torch.no_grad();
        foreach (var name in names)
        {
            var parameter = Parameter(name);
            var count = (int)parameter.numel();
            var slice = flat.Slice(offset, count);
            if (_device.type == DeviceType.CPU && parameter.dtype == torch.float32 && parameter.is_contiguous())
            {
                // Straight into the parameter's memory: no temporary tensor per evaluation.
                using var accessor = parameter.data<float>();
                accessor.CopyFrom(slice, 0, 0);
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

    /// <summary>Top-1 accuracy and macro-F1 of the model as it is now on <paramref name="set"/>; no autograd.</summary>
    public EvaluationResult Evaluate(EvaluationSet set, CancellationToken cancellationToken = default)
    {
        var scores = new ClassificationScores(set.Classes);
        using var inference = torch.inference_mode();
        var predictions = new long[set.BatchSize];
        for (var start = 0; start < set.Count; start += set.BatchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var length = Math.Min(set.BatchSize, set.Count - start);
            using var scope = torch.NewDisposeScope();
            var output = Forward(set.Batch(start, length));
            if (output.dim() != 2 || output.shape[0] != length)
            {
                throw new InvalidInputException(
                    $"The model returned a tensor of shape [{string.Join(", ", output.shape)}] for a batch of {length} samples; a classifier returns [batch, classes].");
            }
            var predicted = output.argmax(1).to(torch.int64).cpu();
            predicted.data<long>().CopyTo(predictions.AsSpan(0, length), 0, 0);
            scores.Add(predictions.AsSpan(0, length), set.Labels.AsSpan(start, length));
        }
        return scores.Result();
    }

    /// <summary>
    /// Runs the first samples of <paramref name="set"/> through the model and checks that it answers with one score per
    /// class: the quick test that a dataset fits a model, made before any long work starts.
    /// </summary>
    public void CheckTakes(EvaluationSet set)
    {
        using var inference = torch.inference_mode();
        using var scope = torch.NewDisposeScope();
        var length = Math.Min(2, set.Count);
        var output = Forward(set.Batch(0, length));
        if (output.dim() != 2 || output.shape[0] != length)
        {
            throw new InvalidInputException(
                $"The model returned a tensor of shape [{string.Join(", ", output.shape)}] for {length} samples of shape [{string.Join(", ", set.SampleShape)}]; a classifier returns [batch, classes].");
        }
        if (output.shape[1] < set.Classes)
        {
            throw new InvalidInputException(
                $"The model scores {output.shape[1]} classes, but the dataset's labels run to {set.Classes - 1}.");
        }
    }

    /// <inheritdoc />
    public void Dispose() => _module.Dispose();

    /// <summary>The model's outputs for every sample of <paramref name="set"/>, without autograd: [samples, classes] on the device.</summary>
    internal torch.Tensor Outputs(EvaluationSet set, CancellationToken cancellationToken)
    {
        // No grad rather than inference mode: autograd may read these later (as calibration targets).
        using var noGrad = torch.no_grad();
        var parts = new List<torch.Tensor>();
        try
        {
            for (var start = 0; start < set.Count; start += set.BatchSize)
            {
                cancellationToken.ThrowIfCancellationRequested();
                using var batch = set.Batch(start, Math.Min(set.BatchSize, set.Count - start));
                parts.Add(Forward(batch));
            }
            return torch.cat(parts, 0);
        }
        finally
        {
            foreach (var part in parts)
            {
                part.Dispose();
            }
        }
    }

    /// <summary>
    /// The signal-to-noise ratio in dB (at most <see cref="WeightFidelity.MaxDecibels"/>) of the model's outputs on
    /// <paramref name="set"/> against <paramref name="reference"/> (the uploaded model's, from <see cref="Outputs"/>):
    /// 10 log10(|reference|² / |outputs − reference|²) over every sample and output value; no autograd.
    /// </summary>
    internal double OutputDecibels(EvaluationSet set, torch.Tensor reference, CancellationToken cancellationToken)
    {
        using var inference = torch.inference_mode();
        double signal = 0, noise = 0;
        for (var start = 0; start < set.Count; start += set.BatchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var length = Math.Min(set.BatchSize, set.Count - start);
            using var scope = torch.NewDisposeScope();
            var output = Forward(set.Batch(start, length)).to(torch.float64);
            var expected = reference.narrow(0, start, length).to(torch.float64);
            if (!output.shape.SequenceEqual(expected.shape))
            {
                throw new InvalidInputException($"The model returned shape [{string.Join(", ", output.shape)}] where the uploaded model returned [{string.Join(", ", expected.shape)}].");
            }
            signal += expected.square().sum().item<double>();
            noise += (output - expected).square().sum().item<double>();
        }
        return WeightFidelity.RatioDecibels(signal, noise);
    }

    /// <summary>The uploaded model's top-1 prediction for every sample of <paramref name="set"/> and how many classes it scores.</summary>
    internal (int[] Predictions, int Classes) Predictions(EvaluationSet set, CancellationToken cancellationToken)
    {
        using var scope = torch.NewDisposeScope();
        var outputs = Outputs(set, cancellationToken);
        if (outputs.dim() != 2)
        {
            throw new InvalidInputException(
                $"The model returned shape [{string.Join(", ", outputs.shape)}]; agreement compares top-1 predictions of a classifier, which returns [batch, classes]. Use metric outputFidelity for other outputs.");
        }
        var predicted = outputs.argmax(1).to(torch.int32).cpu();
        return (predicted.data<int>().ToArray(), (int)outputs.shape[1]);
    }

    /// <summary>A forward pass that records autograd, for calibration.</summary>
    internal torch.Tensor ForwardWithGrad(torch.Tensor batch) => Forward(batch);

    /// <summary>Clears every parameter's gradient.</summary>
    internal void ZeroGrad()
    {
        using var scope = torch.NewDisposeScope();
        foreach (var parameter in _parameters.Values)
        {
            parameter.grad?.zero_();
        }
    }

    /// <summary>The live parameter tensor <paramref name="name"/> (the module's own, not a copy).</summary>
    internal torch.Tensor LiveParameter(string name) => Parameter(name);

    private torch.Tensor Forward(torch.Tensor batch)
    {
        object result;
        try
        {
            result = _module.forward(batch);
        }
        catch (ExternalException e)
        {
            throw new InvalidInputException(
                $"The model could not run a batch of shape [{string.Join(", ", batch.shape)}]: {FirstLine(e.Message)}", e);
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

    private static string FirstLine(string message) => message.Split('\n', 2)[0].Trim();
}
