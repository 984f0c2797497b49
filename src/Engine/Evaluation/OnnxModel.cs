using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using WeightShare.Engine.Checkpoints;
using WeightShare.Engine.Tensors;
using TorchSharp;

namespace WeightShare.Engine.Evaluation;

/// <summary>
/// An ONNX model run by ONNX Runtime (CPU). Its float32 initializers are its weights. With
/// <see cref="OnnxWeightFeed.Inputs"/> the session is built once from a copy of the model that also declares every
/// float32 initializer as a graph input, which ONNX Runtime then lets each run override: changed weights are fed with
/// the batch and nothing is rebuilt. <see cref="OnnxWeightFeed.Rebuild"/> (the default) writes the weights into the
/// model's bytes and builds a new session: measured faster (docs/benchmarks.md), because weights that are inputs are
/// not constants to ONNX Runtime, so it cannot pre-pack them for its convolution and matrix kernels, and every pass
/// pays for that, while a rebuild costs once per evaluation.
/// </summary>
public sealed class OnnxModel : ModelBackend
{
    private const int GraphField = 7;
    private const int GraphInputField = 11;

    private readonly byte[] _original;
    private readonly OnnxWeightFeed _feed;
    private readonly Dictionary<string, StoredTensor> _weights;
    private readonly Dictionary<string, float[]> _current = new(StringComparer.Ordinal);
    private readonly HashSet<string> _changed = new(StringComparer.Ordinal);
    private readonly string _inputName;
    private readonly string _outputName;
    private InferenceSession _session;

    private OnnxModel(byte[] original, CheckpointLayout layout, OnnxWeightFeed feed)
    {
        _original = original;
        _feed = feed;
        _weights = layout.Tensors
            .Where(t => t.DType == TensorDType.Float32 && t.FileOffset >= 0)
            .GroupBy(t => t.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        Tensors = layout.Tensors.Select(t => new ModelTensor(t.Name, t.Shape, _weights.ContainsKey(t.Name), t.DType.IsFloatingPoint())).ToArray();
        _session = Build(feed == OnnxWeightFeed.Inputs ? WithWeightsAsInputs(original, _weights.Values) : original);
        var inputs = _session.InputMetadata.Keys.Where(name => !_weights.ContainsKey(name)).ToList();
        if (inputs.Count != 1)
        {
            _session.Dispose();
            throw new InvalidInputException(
                $"The ONNX model takes {inputs.Count} inputs ({string.Join(", ", inputs)}); only models with one input (the samples) can be run on a dataset here.");
        }
        _inputName = inputs[0];
        _outputName = _session.OutputNames[0];
        var problem = _session.OutputMetadata[_outputName].ElementDataType != TensorElementType.Float
            ? $"The ONNX model's output '{_outputName}' holds {_session.OutputMetadata[_outputName].ElementDataType} values; only float32 outputs are measured here."
            : _session.InputMetadata[_inputName].Dimensions is [> 0, ..]
                ? $"The ONNX model's input '{_inputName}' has a fixed batch size of {_session.InputMetadata[_inputName].Dimensions[0]}; export it with a dynamic batch axis (torch.onnx.export(..., dynamic_axes={{'{_inputName}': {{0: 'batch'}}}}))."
                : null;
        if (problem is not null)
        {
            _session.Dispose();
            throw new InvalidInputException(problem);
        }
    }

    /// <inheritdoc />
    public override IReadOnlyList<ModelTensor> Tensors { get; }

    /// <summary>Loads the ONNX file at <paramref name="path"/>, whose layout <see cref="CheckpointReader.Read"/> gave.</summary>
    public static OnnxModel Load(string path, CheckpointLayout layout, OnnxWeightFeed feed = OnnxWeightFeed.Rebuild)
    {
        ArgumentNullException.ThrowIfNull(layout);
        return new OnnxModel(File.ReadAllBytes(path), layout, feed);
    }

    /// <inheritdoc />
    public override float[] ReadFlat(IReadOnlyList<string> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        var flat = new float[names.Sum(n => Weight(n).ElementCount)];
        var offset = 0;
        foreach (var name in names)
        {
            Values(name).CopyTo(flat, offset);
            offset += (int)Weight(name).ElementCount;
        }
        return flat;
    }

    /// <inheritdoc />
    public override void WriteFlat(IReadOnlyList<string> names, ReadOnlySpan<float> flat)
    {
        ArgumentNullException.ThrowIfNull(names);
        var offset = 0;
        foreach (var name in names)
        {
            var count = (int)Weight(name).ElementCount;
            if (!_current.TryGetValue(name, out var values))
            {
                values = new float[count];
                _current[name] = values;
            }
            flat.Slice(offset, count).CopyTo(values);
            _changed.Add(name);
            offset += count;
        }
        if (offset != flat.Length)
        {
            throw new ArgumentException($"{flat.Length} values were given for {offset} weights.", nameof(flat));
        }
        if (_feed == OnnxWeightFeed.Rebuild)
        {
            var bytes = (byte[])_original.Clone();
            foreach (var name in _changed)
            {
                FloatCodec.EncodeFloats(_current[name], TensorDType.Float32, bytes.AsSpan((int)Weight(name).FileOffset));
            }
            _session.Dispose();
            _session = Build(bytes);
        }
    }

    /// <inheritdoc />
    public override void Dispose() => _session.Dispose();

    /// <inheritdoc />
    protected override torch.Tensor Forward(torch.Tensor batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        using var cpu = batch.to(torch.float32).cpu().contiguous();
        var samples = cpu.data<float>().ToArray();
        var names = new List<string> { _inputName };
        var values = new List<OrtValue> { OrtValue.CreateTensorValueFromMemory(samples, cpu.shape) };
        try
        {
            if (_feed == OnnxWeightFeed.Inputs)
            {
                foreach (var name in _changed)
                {
                    names.Add(name);
                    values.Add(OrtValue.CreateTensorValueFromMemory(_current[name], Weight(name).Shape));
                }
            }
            using var results = Run(names, values);
            var output = results[0];
            var shape = output.GetTensorTypeAndShape().Shape;
            return torch.tensor(output.GetTensorDataAsSpan<float>().ToArray(), shape).to(batch.device);
        }
        finally
        {
            foreach (var value in values)
            {
                value.Dispose();
            }
        }
    }

    private IDisposableReadOnlyCollection<OrtValue> Run(List<string> names, List<OrtValue> values)
    {
        try
        {
            using var options = new RunOptions();
            return _session.Run(options, names, values, [_outputName]);
        }
        catch (OnnxRuntimeException e)
        {
            throw new InvalidInputException($"ONNX Runtime could not run the model: {ScriptedModel.FirstLine(e.Message)}", e);
        }
    }

    private static InferenceSession Build(byte[] model)
    {
        try
        {
            // Errors only: with weights fed as inputs ONNX Runtime warns, once per weight, that an initializer declared
            // as an input is not folded as a constant, which is the point of declaring it.
            using var options = new SessionOptions { LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR };
            return new InferenceSession(model, options);
        }
        catch (OnnxRuntimeException e)
        {
            throw new InvalidInputException($"ONNX Runtime could not load the model: {ScriptedModel.FirstLine(e.Message)}", e);
        }
    }

    private float[] Values(string name) => _current.TryGetValue(name, out var values)
        ? values
        : FloatCodec.DecodeFloats(_original.AsSpan((int)Weight(name).FileOffset, (int)Weight(name).ByteLength), TensorDType.Float32);

    private StoredTensor Weight(string name) =>
        _weights.TryGetValue(name, out var weight) ? weight : throw new ArgumentException($"The model has no float32 initializer '{name}'.", nameof(name));

    /// <summary>
    /// The model with every weight also declared as a graph input (a ValueInfoProto of its type and shape appended to
    /// GraphProto.input), so that ONNX Runtime treats them as overridable initializers. Protobuf lets a message's
    /// fields come in any order and repeated fields concatenate, so the graph's bytes are kept and the inputs added
    /// after them; every other field of the model is copied as it is.
    /// </summary>
    private static byte[] WithWeightsAsInputs(byte[] model, IEnumerable<StoredTensor> weights)
    {
        using var output = new MemoryStream(model.Length + 4096);
        var writer = new CodedOutputStream(output, leaveOpen: true);
        var reader = new CodedInputStream(model);
        // CodedOutputStream buffers and has no public raw write: flush it, then copy bytes to the stream directly.
        void Raw(byte[] bytes, int offset, int count)
        {
            writer.Flush();
            output.Write(bytes, offset, count);
        }
        var start = 0L;
        uint tag;
        while ((tag = reader.ReadTag()) != 0)
        {
            if (WireFormat.GetTagFieldNumber(tag) != GraphField || WireFormat.GetTagWireType(tag) != WireFormat.WireType.LengthDelimited)
            {
                reader.SkipLastField();
                Raw(model, (int)start, (int)(reader.Position - start));
                start = reader.Position;
                continue;
            }
            var graph = reader.ReadBytes();
            start = reader.Position;
            var declared = InputNames(graph);
            using var extra = new MemoryStream();
            var extraWriter = new CodedOutputStream(extra, leaveOpen: true);
            foreach (var weight in weights.Where(w => !declared.Contains(w.Name)))
            {
                extraWriter.WriteTag(GraphInputField, WireFormat.WireType.LengthDelimited);
                extraWriter.WriteBytes(ByteString.CopyFrom(ValueInfo(weight)));
            }
            extraWriter.Flush();
            writer.WriteTag(GraphField, WireFormat.WireType.LengthDelimited);
            writer.WriteLength(graph.Length + (int)extra.Length);
            var graphBytes = graph.ToByteArray();
            Raw(graphBytes, 0, graphBytes.Length);
            var extraBytes = extra.ToArray();
            Raw(extraBytes, 0, extraBytes.Length);
        }
        writer.Flush();
        return output.ToArray();
    }

    private static HashSet<string> InputNames(ByteString graph)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        var reader = new CodedInputStream(graph.ToByteArray());
        uint tag;
        while ((tag = reader.ReadTag()) != 0)
        {
            if (WireFormat.GetTagFieldNumber(tag) == GraphInputField && WireFormat.GetTagWireType(tag) == WireFormat.WireType.LengthDelimited)
            {
                var info = new CodedInputStream(reader.ReadBytes().ToByteArray());
                uint field;
                while ((field = info.ReadTag()) != 0)
                {
                    if (WireFormat.GetTagFieldNumber(field) == 1 && WireFormat.GetTagWireType(field) == WireFormat.WireType.LengthDelimited)
                    {
                        names.Add(info.ReadString());
                    }
                    else
                    {
                        info.SkipLastField();
                    }
                }
            }
            else
            {
                reader.SkipLastField();
            }
        }
        return names;
    }

    // ValueInfoProto { name = 1; type = 2 { tensor_type = 1 { elem_type = 1 (FLOAT); shape = 2 { dim = 1 { dim_value = 1 } } } } }
    private static byte[] ValueInfo(StoredTensor weight)
    {
        var shape = Message(w =>
        {
            foreach (var dimension in weight.Shape)
            {
                w.WriteTag(1, WireFormat.WireType.LengthDelimited);
                w.WriteBytes(ByteString.CopyFrom(Message(d =>
                {
                    d.WriteTag(1, WireFormat.WireType.Varint);
                    d.WriteInt64(dimension);
                })));
            }
        });
        var tensorType = Message(w =>
        {
            w.WriteTag(1, WireFormat.WireType.Varint);
            w.WriteInt32(1);
            w.WriteTag(2, WireFormat.WireType.LengthDelimited);
            w.WriteBytes(ByteString.CopyFrom(shape));
        });
        var type = Message(w =>
        {
            w.WriteTag(1, WireFormat.WireType.LengthDelimited);
            w.WriteBytes(ByteString.CopyFrom(tensorType));
        });
        return Message(w =>
        {
            w.WriteTag(1, WireFormat.WireType.LengthDelimited);
            w.WriteString(weight.Name);
            w.WriteTag(2, WireFormat.WireType.LengthDelimited);
            w.WriteBytes(ByteString.CopyFrom(type));
        });
    }

    private static byte[] Message(Action<CodedOutputStream> write)
    {
        using var stream = new MemoryStream();
        var writer = new CodedOutputStream(stream, leaveOpen: true);
        write(writer);
        writer.Flush();
        return stream.ToArray();
    }
}
