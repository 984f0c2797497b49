using WeightShare.Engine.Checkpoints;
using WeightShare.Engine.Codecs;
using WeightShare.Engine.Datasets;
using WeightShare.Engine.Evaluation;
using WeightShare.Engine.Tensors;
using WeightShare.Engine.Wsz;
using System.Text.Json;
using TorchSharp;

namespace WeightShare.Engine.Compression;

/// <summary>
/// One compression run's working state: the loaded model, its shared weights, the codec that represents them, and
/// the validation and test splits on the evaluation device. It measures and writes solutions; the order of the
/// phases is <see cref="Pipeline.CompressionPipeline"/>'s.
/// </summary>
public sealed class CompressionSession : IDisposable
{
    // Null in a data-free run: there is no model to run and no data, and the weights' own fidelity is the metric.
    private readonly ModelBackend? _model;
    private readonly EvaluationSet? _validation;
    private readonly EvaluationSet? _test;
    private readonly EvaluationSet? _calibration;
    private readonly string[] _sharedNames;
    private readonly float[] _scratch;
    private readonly SharedTensor[] _small;
    private readonly float[][] _smallOriginal;
    private torch.Tensor? _teacher;

    // The uploaded model's outputs on validation and test, in an output-fidelity run.
    private (torch.Tensor Validation, torch.Tensor Test)? _references;
    private bool _smallChanged;
    private long? _fixedBytes;

    // The file the compressed files and checkpoints are made from: the upload, or a copy of it without TorchScript
    // debug tables (deleted with the session) when the codec drops them.
    private readonly string _sourcePath;

    private CompressionSession(
        string modelPath,
        string sourcePath,
        string modelFileName,
        CheckpointLayout layout,
        ModelBackend? model,
        IReadOnlyList<SharedTensor> shared,
        float[] sharedValues,
        EvaluationSet? validation,
        EvaluationSet? test,
        EvaluationSet? calibration,
        IReadOnlyList<SharedTensor> small,
        CompressionOptions options,
        WeightCodec codec,
        int[] testIndices)
    {
        TestIndices = testIndices;
        ModelPath = modelPath;
        _sourcePath = sourcePath;
        ModelFileName = modelFileName;
        Layout = layout;
        _model = model;
        _validation = validation;
        _test = test;
        _calibration = calibration;
        Options = options;
        Codec = codec;
        _sharedNames = shared.Select(s => s.Name).ToArray();
        Weights = new SharedWeights(shared, sharedValues);
        _scratch = new float[Weights.Count];
        _small = small.ToArray();
        _smallOriginal = model is null ? [] : _small.Select(t => model.ReadFlat([t.Name])).ToArray();
        Genes = Bounds(codec, codec.GenesFor(Weights), options);
        Objective = options.Objective ?? codec.Defaults.Objective;
        Patience = options.Search.Patience ?? codec.Defaults.Patience;
        Population = options.Search.Population ?? codec.Defaults.Population;
    }

    /// <summary>The uploaded model file.</summary>
    public string ModelPath { get; }

    /// <summary>The model's file name as the .wsz files record it, and as decompressing gives it back.</summary>
    public string ModelFileName { get; }

    /// <summary>Where every tensor sits in the file the compressed files are made from (the upload, or its copy without debug tables).</summary>
    public CheckpointLayout Layout { get; }

    /// <summary>The run's settings.</summary>
    public CompressionOptions Options { get; }

    /// <summary>The codec that represents the shared weights.</summary>
    public WeightCodec Codec { get; }

    /// <summary>The codec's genes with the bounds this run searches.</summary>
    public IReadOnlyList<Gene> Genes { get; }

    /// <summary>The shared tensors (in shared-vector order) and their original values.</summary>
    public SharedWeights Weights { get; }

    /// <summary>The tensors that share one codebook, in shared-vector order.</summary>
    public IReadOnlyList<SharedTensor> Shared => Weights.Tensors;

    /// <summary>Number of weights in the shared vector.</summary>
    public long SharedWeightCount => Weights.Count;

    /// <summary>
    /// True when the run has no model to run and no data: the metric is the shared weights' fidelity to the uploaded
    /// ones (<see cref="Metric.WeightSnr"/>), the same figure for validation and test.
    /// </summary>
    public bool DataFree => _model is null;

    /// <summary>Samples in the validation split (0 in a data-free run).</summary>
    public int ValidationCount => _validation?.Count ?? 0;

    /// <summary>Samples in the test split (0 in a data-free run).</summary>
    public int TestCount => _test?.Count ?? 0;

    /// <summary>Which samples of the dataset the test split holds, ascending: what an outside check must measure on.</summary>
    public IReadOnlyList<int> TestIndices { get; }

    /// <summary>Samples in the calibration split (0 when the run does not calibrate).</summary>
    public int CalibrationCount => _calibration?.Count ?? 0;

    /// <summary>
    /// True when this run calibrates: its codec does, refinement is on, the budget allows at least one point and
    /// there is a calibration split. Only then is the search focused and the offer narrowed to useful points.
    /// </summary>
    public bool Calibrating => Calibrates(Codec, Options) && _model is { HasAutograd: true } && CalibrationCount > 0;

    /// <summary>The search's second objective: the run's, or the codec's default.</summary>
    public SizeObjective Objective { get; }

    /// <summary>Generations of flat hypervolume before the search stops (0 = never): the run's, or the codec's default.</summary>
    public int Patience { get; }

    /// <summary>NSGA-II's population: the run's, or the codec's default.</summary>
    public int Population { get; }

    /// <summary>The unshared parameters a codec may tune (biases, norm scales and shifts stored whole in the file).</summary>
    public IReadOnlyList<SharedTensor> SmallParameters => _small;

    /// <summary>
    /// Loads a TorchScript model and a preprocessed dataset, splits the dataset by the seed and checks that the model
    /// takes one batch of it. Every problem is an <see cref="InvalidInputException"/> that says what to change.
    /// </summary>
    /// <param name="modelPath">The model file.</param>
    /// <param name="data">The preprocessed dataset.</param>
    /// <param name="options">The run's settings.</param>
    /// <param name="modelFileName">The name the .wsz files record, for a file stored under another name (an upload
    /// stored by its hash); the file's own name when null or when the format cannot hold it.</param>
    /// <param name="codecs">Where the codec named in the options is found; <see cref="CodecRegistry.Default"/> when null.</param>
    public static CompressionSession Open(string modelPath, LabelledDataset data, CompressionOptions options, string? modelFileName = null, CodecRegistry? codecs = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var codec = (codecs ?? CodecRegistry.Default).Create(options.Codec);
        codec.Configure(options.CodecOptions);
        CheckSize(modelPath);
        var layout = CheckpointReader.Read(modelPath);
        if (options.Metric == Metric.WeightSnr)
        {
            throw new InvalidInputException("Metric weightSnr measures the weights alone: open the run without data (leave the dataset out).");
        }
        if (layout.Format is not (CheckpointFormat.TorchScript or CheckpointFormat.Onnx))
        {
            throw new InvalidInputException(
                $"A {Describe(layout.Format)} file holds weights but no architecture, so its accuracy cannot be measured. " +
                "Upload a TorchScript export (torch.jit.script or torch.jit.trace, then torch.jit.save) or an ONNX export, or compress it without data (metric weightSnr).");
        }
        if (data.Classes == 0 && options.Metric.NeedsLabels())
        {
            throw new InvalidInputException(
                $"The dataset has inputs (x) but no labels (y), so {Name(options.Metric)} cannot be measured: use metric agreement (top-1 agreement with the uploaded model, for classifiers) or outputFidelity (any output), or upload the labels too.");
        }
        if (data.Classes == 0 && options.Calibration.Loss == CalibrationLoss.Labels && Calibrates(codec, options) && layout.Format == CheckpointFormat.TorchScript)
        {
            throw new InvalidInputException("calibration.loss labels needs labels (y), and the dataset has none: use distillation.");
        }
        if (options.ValidationSamples >= data.Labels.Length)
        {
            throw new InvalidInputException(
                $"validationSamples is {options.ValidationSamples}, but the dataset has only {data.Labels.Length} samples; keep some for the test figures.");
        }

        var sourcePath = codec.DropsDebugTables && layout.Format == CheckpointFormat.TorchScript
            ? Path.Combine(Path.GetTempPath(), $"wsw-{Guid.NewGuid():N}-{Path.GetFileName(modelPath)}")
            : modelPath;
        ModelBackend? model = null;
        EvaluationSet? validation = null;
        EvaluationSet? test = null;
        EvaluationSet? calibration = null;
        try
        {
            if (sourcePath != modelPath)
            {
                TorchScriptSlimmer.WriteWithoutDebugTables(modelPath, sourcePath);
                layout = CheckpointReader.Read(sourcePath);
            }
            model = layout.Format == CheckpointFormat.Onnx
                ? OnnxModel.Load(sourcePath, layout)
                : ScriptedModel.Load(sourcePath, options.Device);
            var shared = ChooseShared(model, layout, options.Scope);
            var small = ChooseSmall(model, layout, shared);
            // Without labels every sample is of one class to the splitter: a plain random split by the seed.
            var split = DatasetSplitter.SplitBalanced(data.Labels, Math.Max(1, data.Classes), options.ValidationSamples, options.Search.Seed);
            var device = TorchDevices.Resolve(options.Device);
            var testIndices = split.TestIndices;
            int[] calibrationIndices = [];
            var calibrationSamples = options.Calibration.SamplesFor(Calibrates(codec, options) && model.HasAutograd, testIndices.Length);
            if (calibrationSamples > 0)
            {
                if (calibrationSamples >= testIndices.Length)
                {
                    throw new InvalidInputException(
                        $"calibration.samples is {calibrationSamples}, but validation leaves only {testIndices.Length} samples; keep some for the test figures.");
                }
                // Carved from what validation leaves, class-balanced by its own seed: validation stays as without calibration.
                var carve = DatasetSplitter.SplitBalanced(testIndices.Select(i => data.Labels[i]).ToArray(), Math.Max(1, data.Classes), calibrationSamples, options.Search.Seed + 7919);
                calibrationIndices = carve.ValidationIndices.Select(i => testIndices[i]).ToArray();
                testIndices = carve.TestIndices.Select(i => testIndices[i]).ToArray();
            }
            validation = Subset(data, split.ValidationIndices, device, options.BatchSize);
            test = Subset(data, testIndices, device, options.BatchSize);
            calibration = calibrationIndices.Length > 0 ? Subset(data, calibrationIndices, device, options.BatchSize) : null;
            if (options.Metric != Metric.OutputFidelity)
            {
                // Agreement compares with the model's own predictions: the labels' classes do not matter.
                model.CheckTakes(validation, checkClasses: options.Metric != Metric.Agreement);
            }
            var references = Reference(model, options.Metric, validation, test);
            return new CompressionSession(modelPath, sourcePath, RecordedName(modelPath, modelFileName), layout, model, shared, model.ReadFlat(shared.Select(s => s.Name).ToArray()),
                validation, test, calibration, small, options, codec, testIndices)
            {
                _references = references,
            };
        }
        catch
        {
            validation?.Dispose();
            test?.Dispose();
            calibration?.Dispose();
            model?.Dispose();
            DeleteCopy(modelPath, sourcePath);
            throw;
        }
    }

    /// <summary>
    /// Opens a data-free run: no model is run and no data is needed, so any checkpoint the reader knows will do
    /// (a state_dict, safetensors, TorchScript). The metric is the shared weights' fidelity to the uploaded ones
    /// (<see cref="Metric.WeightSnr"/>), measured on the values as the file stores them (float16 and bfloat16 tensors
    /// keep their element type, so their rounding counts). Nothing calibrates: there are no samples.
    /// </summary>
    /// <param name="modelPath">The checkpoint file.</param>
    /// <param name="options">The run's settings; the metric must be <see cref="Metric.WeightSnr"/>.</param>
    /// <param name="modelFileName">The name the .wsz files record (as for <see cref="Open"/>).</param>
    /// <param name="codecs">Where the codec named in the options is found; <see cref="CodecRegistry.Default"/> when null.</param>
    public static CompressionSession OpenDataFree(string modelPath, CompressionOptions options, string? modelFileName = null, CodecRegistry? codecs = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (options.Metric != Metric.WeightSnr)
        {
            throw new InvalidInputException($"A run without data can only measure the weights themselves: its metric is weightSnr, not {Name(options.Metric)}.");
        }
        var codec = (codecs ?? CodecRegistry.Default).Create(options.Codec);
        codec.Configure(options.CodecOptions);
        CheckSize(modelPath);
        var layout = CheckpointReader.Read(modelPath);
        var stored = ChooseStored(layout, options.Scope);
        var values = new float[stored.Sum(s => s.ElementCount)];
        var offset = 0;
        foreach (var tensor in stored)
        {
            FloatCodec.DecodeFloats(CheckpointReader.ReadTensorBytes(modelPath, layout, tensor, tensor.ByteLength), tensor.DType).CopyTo(values.AsSpan(offset));
            offset += (int)tensor.ElementCount;
        }
        var shared = stored.Select(t => new SharedTensor(t.Name, t.Shape, t.FileOffset, t.DType)).ToArray();
        return new CompressionSession(modelPath, modelPath, RecordedName(modelPath, modelFileName), layout, null, shared, values, null, null, null, [], options, codec, []);
    }

    /// <summary>
    /// What the uploaded model itself gives, for the metrics measured against it: for agreement its predictions become
    /// the splits' labels; for output fidelity its outputs on each split are kept (on the device) to compare with.
    /// </summary>
    private static (torch.Tensor Validation, torch.Tensor Test)? Reference(ModelBackend model, Metric metric, EvaluationSet validation, EvaluationSet test)
    {
        if (metric == Metric.Agreement)
        {
            foreach (var set in new[] { validation, test })
            {
                var (predictions, classes) = model.Predictions(set, CancellationToken.None);
                set.Relabel(predictions, classes);
            }
            return null;
        }
        if (metric != Metric.OutputFidelity)
        {
            return null;
        }
        // The outputs are kept for the whole run: refuse what would not fit, measured on two samples first.
        using (torch.NewDisposeScope())
        {
            var count = Math.Min(2, validation.Count);
            var head = validation.Batch(0, count);
            using var probe = new EvaluationSet(head.cpu().data<float>().ToArray(), new int[count], validation.SampleShape, 0, head.device);
            var bytes = model.Outputs(probe, CancellationToken.None).numel() / count * 4L * (validation.Count + test.Count);
            if (bytes > MaxReferenceBytes)
            {
                throw new InvalidInputException(
                    $"outputFidelity keeps the uploaded model's outputs on validation and test: {bytes:N0} bytes here, more than the {MaxReferenceBytes:N0} allowed. Use fewer samples (a smaller dataset).");
            }
        }
        var first = model.Outputs(validation, CancellationToken.None);
        try
        {
            return (first, model.Outputs(test, CancellationToken.None));
        }
        catch
        {
            first.Dispose();
            throw;
        }
    }

    /// <summary>The most bytes of reference outputs an output-fidelity run keeps (validation and test together).</summary>
    public const long MaxReferenceBytes = 2L << 30;

    private static string Name(Metric metric) => JsonNamingPolicy.CamelCase.ConvertName(metric.ToString());

    /// <summary>The name the .wsz files record: the given one when the format can hold it, else the file's own.</summary>
    private static string RecordedName(string modelPath, string? modelFileName) =>
        modelFileName is not null && WszLayout.CanHoldFileName(modelFileName) ? modelFileName : Path.GetFileName(modelPath);

    // Found now rather than when the first solution is written, after the whole search.
    private static void CheckSize(string modelPath)
    {
        var modelBytes = new FileInfo(modelPath).Length;
        if (modelBytes > WszBuilder.MaxOriginalBytes)
        {
            throw new InvalidInputException(
                $"The model is {modelBytes:N0} bytes, more than the {WszBuilder.MaxOriginalBytes:N0} bytes a .wsz file can hold.");
        }
    }

    private static void DeleteCopy(string modelPath, string sourcePath)
    {
        if (sourcePath != modelPath)
        {
            File.Delete(sourcePath);
        }
    }

    /// <summary>The uploaded model's own figures on both splits.</summary>
    public BaselineFigures EvaluateBaseline(CancellationToken cancellationToken = default)
    {
        if (_model is null)
        {
            // The uploaded weights against themselves: lossless, the highest ratio.
            var whole = WeightFidelity.Result(WeightFidelity.MaxDecibels);
            return new BaselineFigures(whole, whole, new FileInfo(ModelPath).Length);
        }
        // The uploaded model whole: shared weights and small parameters, whatever a calibrated solution left in it.
        _model.WriteFlat(_sharedNames, Weights.Values);
        for (var i = 0; i < _small.Length; i++)
        {
            _model.WriteFlat([_small[i].Name], _smallOriginal[i]);
        }
        _smallChanged = false;
        var validation = Measure(_validation, cancellationToken);
        var test = Measure(_test, cancellationToken);
        return new BaselineFigures(validation, test, new FileInfo(ModelPath).Length);
    }

    /// <summary>The codec's representation of <paramref name="plan"/>.</summary>
    public Quantization Quantize(SolutionPlan plan) => Codec.Quantize(Weights, plan);

    /// <summary>Puts <paramref name="quantization"/>'s weights into the model and measures it on the validation split.</summary>
    public EvaluationResult Evaluate(Quantization quantization, CancellationToken cancellationToken = default)
    {
        Apply(quantization);
        return Measure(_validation, cancellationToken);
    }

    // One split's figures, or in a data-free run the weights' fidelity as the file will store them.
    private EvaluationResult Measure(EvaluationSet? set, CancellationToken cancellationToken) => _model is null
        ? WeightFidelity.Result(WeightFidelity.Decibels(Weights.Values, _scratch, Shared))
        : _references is { } references
            ? WeightFidelity.Result(_model.OutputDecibels(set!, ReferenceOf(set!, references), cancellationToken))
            : _model.Evaluate(set!, cancellationToken);

    private torch.Tensor ReferenceOf(EvaluationSet set, (torch.Tensor Validation, torch.Tensor Test) references) =>
        ReferenceEquals(set, _validation) ? references.Validation : references.Test;

    /// <summary>
    /// Bytes of the .wsz file <paramref name="quantization"/> is written to, without writing it: the codec's block
    /// and everything around it (header, segments, the compressed residual of the uploaded file).
    /// </summary>
    public long FileBytes(Quantization quantization)
    {
        ArgumentNullException.ThrowIfNull(quantization);
        _fixedBytes ??= WszWriter.Length(Build([], Weights.Values, new Dictionary<string, float[]>()));
        return _fixedBytes.Value + quantization.BlockBytes;
    }

    /// <summary>
    /// Lets the codec refine <paramref name="plan"/> against the validation split with the run's tolerance; null when
    /// the codec has no refinement.
    /// </summary>
    public Task<Refinement?> RefineAsync(SolutionPlan plan, IProgress<RefineStep>? progress, CancellationToken cancellationToken, IProgress<string>? status = null)
    {
        var context = new RefineContext(
            (quantization, token) => ValueTask.FromResult(1 - Evaluate(quantization, token).Of(Options.Metric)),
            Options.Merge.Tolerance,
            progress)
        {
            Calibrate = _calibration is null ? null : (indices, values, token) => Calibrate(indices, values, status, token),
            Status = status,
        };
        return Codec.RefineAsync(Weights, plan, context, cancellationToken);
    }

    /// <summary>
    /// Builds one solution: measures it on both splits, writes the .wsz file to <paramref name="compressedPath"/> and
    /// the checkpoint with the shared weights, in the uploaded format, to <paramref name="checkpointPath"/>.
    /// </summary>
    public SolutionFigures Finish(SolutionPlan plan, string compressedPath, string checkpointPath, CancellationToken cancellationToken = default)
    {
        var quantization = Quantize(plan);
        Apply(quantization);
        var validation = Measure(_validation, cancellationToken);
        var test = _model is null ? validation : Measure(_test, cancellationToken);

        var encoded = quantization.Encode();
        var small = quantization.SmallParameters ?? new Dictionary<string, float[]>();
        WriteCompressed(encoded.Block, small, compressedPath);
        WriteCheckpoint(small, checkpointPath);
        return new SolutionFigures(
            quantization.SharedValues,
            quantization.Description,
            validation.Accuracy,
            test.Accuracy,
            validation.MacroF1,
            test.MacroF1,
            encoded.BitsPerWeight,
            new FileInfo(compressedPath).Length,
            new FileInfo(ModelPath).Length);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _validation?.Dispose();
        _test?.Dispose();
        _calibration?.Dispose();
        _teacher?.Dispose();
        _references?.Validation.Dispose();
        _references?.Test.Dispose();
        _model?.Dispose();
        DeleteCopy(ModelPath, _sourcePath);
    }

    /// <summary>Writes a quantization's shared weights, and its small parameters or the uploaded ones, into the model.</summary>
    private void Apply(Quantization quantization)
    {
        ArgumentNullException.ThrowIfNull(quantization);
        quantization.Dequantize(_scratch);
        if (_model is null)
        {
            return;
        }
        _model.WriteFlat(_sharedNames, _scratch);
        if (quantization.SmallParameters is { } tuned)
        {
            foreach (var (name, values) in tuned)
            {
                _model.WriteFlat([name], values);
            }
            _smallChanged = true;
        }
        else if (_smallChanged)
        {
            for (var i = 0; i < _small.Length; i++)
            {
                _model.WriteFlat([_small[i].Name], _smallOriginal[i]);
            }
            _smallChanged = false;
        }
    }

    private CalibrationResult Calibrate(int[][] terms, float[] values, IProgress<string>? status, CancellationToken cancellationToken)
    {
        var settings = Options.Calibration;
        var model = _model as ScriptedModel ?? throw new InvalidOperationException("Only a TorchScript model calibrates: the others have no autograd here.");
        // Every calibration starts from the uploaded model's small parameters, whatever an earlier one left in the
        // model: a resumed run must calibrate each point exactly as a straight run does.
        for (var i = 0; i < _small.Length; i++)
        {
            model.WriteFlat([_small[i].Name], _smallOriginal[i]);
        }
        _smallChanged = false;
        if (_teacher is null)
        {
            // The uploaded model's own outputs are what the compressed one is taught to give.
            model.WriteFlat(_sharedNames, Weights.Values);
            _teacher = model.Outputs(_calibration!, cancellationToken);
        }
        var steps = new SyncStepProgress(step =>
        {
            if (step == 1 || step % 10 == 0 || step == settings.Steps)
            {
                status?.Report($"{Codec.CalibrationName} step {step} of {settings.Steps}");
            }
        });
        var result = Calibrator.Run(model, _sharedNames, _small.Select(s => s.Name).ToArray(), terms, values, _calibration!, _teacher,
            settings.ToOptions(Options.Search.Seed), steps, cancellationToken);
        _smallChanged = true;
        return result;
    }

    private void WriteCompressed(byte[] block, IReadOnlyDictionary<string, float[]> small, string path)
    {
        var content = Build(block, _scratch, small);
        var temporary = path + ".partial";
        using (var output = File.Create(temporary))
        {
            WszWriter.Write(output, content);
        }
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>
    /// The .wsz content for a codec block whose weights are <paramref name="values"/>, with tuned small parameters
    /// written into the residual (their zip entries' CRCs are recomputed on decoding, like the shared ones').
    /// </summary>
    private WszContent Build(byte[] block, ReadOnlySpan<float> values, IReadOnlyDictionary<string, float[]> small)
    {
        var original = File.ReadAllBytes(_sourcePath);
        foreach (var patch in SmallPatches(small))
        {
            patch.Bytes.Span.CopyTo(original.AsSpan((int)patch.FileOffset));
        }
        var segments = Shared.Select(s => new WszSegment(s.Name, s.FileOffset, s.ElementCount, s.DType) { Shape = s.Shape }).ToArray();
        var touched = Shared.Concat(_small.Where(s => small.ContainsKey(s.Name))).ToArray();
        return WszBuilder.Build(original, Format(Layout.Format), ModelFileName, segments, CrcFixups(touched), Codec.Id, block, values, Codec.ResidualCoding);
    }

    private IEnumerable<BytePatch> SmallPatches(IReadOnlyDictionary<string, float[]> small) => _small
        .Where(s => small.ContainsKey(s.Name))
        .Select(s => new BytePatch(s.FileOffset, FloatCodec.EncodeFloats(small[s.Name], s.DType)));

    private void WriteCheckpoint(IReadOnlyDictionary<string, float[]> small, string path)
    {
        var patches = new List<BytePatch>();
        var offset = 0;
        foreach (var tensor in Shared)
        {
            var count = (int)tensor.ElementCount;
            patches.Add(new BytePatch(tensor.FileOffset, FloatCodec.EncodeFloats(_scratch.AsSpan(offset, count), tensor.DType)));
            offset += count;
        }
        patches.AddRange(SmallPatches(small));
        patches.Sort((a, b) => a.FileOffset.CompareTo(b.FileOffset));
        var temporary = path + ".partial";
        using (var output = File.Create(temporary))
        {
            CheckpointPatcher.Write(_sourcePath, patches, Layout.ZipEntries.Count == 0 ? null : Layout.ZipEntries, output);
        }
        File.Move(temporary, path, overwrite: true);
    }

    // Zip entries holding replaced tensors need their CRC-32 recomputed once the values change.
    private WszCrcFixup[] CrcFixups(IReadOnlyList<SharedTensor> touched) => Layout.ZipEntries
        .Where(e => touched.Any(s => s.FileOffset >= e.DataOffset && s.FileOffset < e.DataOffset + e.CompressedSize))
        .Select(e => new WszCrcFixup(e.DataOffset, e.CompressedSize, CrcFields(e)))
        .ToArray();

    // PyTorch leaves the local header's CRC at zero and writes it in a data descriptor; only real fields are patched.
    private static long[] CrcFields(ZipEntryInfo entry)
    {
        var fields = new List<long> { entry.CentralCrcFieldOffset };
        if (entry.LocalHeaderHasCrc)
        {
            fields.Add(entry.LocalCrcFieldOffset);
        }
        if (entry.DataDescriptorCrcOffset is { } descriptor)
        {
            fields.Add(descriptor);
        }
        return fields.ToArray();
    }

    /// <summary>Whether a run of these options would calibrate (before the split exists).</summary>
    /// <remarks>Not for output fidelity: calibration distils class scores (KL divergence), which other outputs are not.</remarks>
    private static bool Calibrates(WeightCodec codec, CompressionOptions options) =>
        codec.Defaults.Calibrates && options.Merge.Enabled && options.Calibration.Budget > 0 && options.Metric != Metric.OutputFidelity;

    /// <summary>The codec's genes, with the run's k bounds for a gene named k (search.kMin and search.kMax).</summary>
    private static Gene[] Bounds(WeightCodec codec, IReadOnlyList<Gene> genes, CompressionOptions options) => genes
        .Select(gene => gene.Name != "k"
            ? gene
            : options.Search.KMin < gene.Min || options.Search.KMax > gene.Max
                ? throw new InvalidInputException($"search.kMin and search.kMax must lie within {gene.Min}..{gene.Max} for the {codec.Id} codec (got {options.Search.KMin} and {options.Search.KMax}).")
                : gene with { Min = options.Search.KMin, Max = options.Search.KMax })
        .ToArray();

    /// <summary>The floating-point parameters not shared that are stored whole in the file, so that tuned values can be written back.</summary>
    private static SharedTensor[] ChooseSmall(ModelBackend model, CheckpointLayout layout, IReadOnlyList<SharedTensor> shared)
    {
        var stored = layout.Tensors.GroupBy(t => t.Name).ToDictionary(g => g.Key, g => g.First());
        var sharedNames = shared.Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
        var sharedOffsets = shared.Select(s => s.FileOffset).ToHashSet();
        return model.Tensors
            .Where(t => t.IsParameter && t.IsFloatingPoint && !sharedNames.Contains(t.Name))
            .Where(t => stored.TryGetValue(t.Name, out var inFile) && inFile.FileOffset >= 0 && inFile.IsContiguous
                && inFile.ElementCount == t.ElementCount && inFile.DType.IsFloatingPoint() && !sharedOffsets.Contains(inFile.FileOffset))
            .Select(t => new SharedTensor(t.Name, t.Shape, stored[t.Name].FileOffset, stored[t.Name].DType))
            .GroupBy(s => s.FileOffset).Select(g => g.First())
            .OrderBy(s => s.FileOffset)
            .ToArray();
    }

    /// <summary>
    /// The stored tensors a data-free run shares, from the file alone: floating-point tensors stored whole and contiguous
    /// (of rank 2 and more; with the all-trainable scope every one but batch-norm statistics, since a file alone does not say which tensors are trained), one per location.
    /// </summary>
    private static StoredTensor[] ChooseStored(CheckpointLayout layout, SharedScope scope)
    {
        var shared = layout.Tensors
            .Where(t => t.DType.IsFloatingPoint() && t.FileOffset >= 0 && t.IsContiguous && t.ElementCount > 0)
            .Where(t => scope == SharedScope.AllTrainable
                ? !t.Name.EndsWith("running_mean", StringComparison.Ordinal) && !t.Name.EndsWith("running_var", StringComparison.Ordinal)
                : t.Shape.Length >= 2)
            .GroupBy(t => t.FileOffset).Select(g => g.First())
            .OrderBy(t => t.FileOffset)
            .ToArray();
        return shared.Length > 0
            ? shared
            : throw new InvalidInputException("The file has no floating-point tensors of rank 2 or more stored whole, so there is nothing to share.");
    }

    private static SharedTensor[] ChooseShared(ModelBackend model, CheckpointLayout layout, SharedScope scope)
    {
        var stored = layout.Tensors.GroupBy(t => t.Name).ToDictionary(g => g.Key, g => g.First());
        var shared = new List<SharedTensor>();
        foreach (var tensor in model.Tensors.Where(t => t.IsParameter && t.IsFloatingPoint))
        {
            if (scope == SharedScope.Weights && tensor.Shape.Length < 2)
            {
                continue;
            }
            // Only tensors stored whole, uncompressed and contiguous in the file can be rewritten in place.
            if (stored.TryGetValue(tensor.Name, out var inFile) && inFile.FileOffset >= 0 && inFile.IsContiguous
                && inFile.ElementCount == tensor.ElementCount && inFile.DType.IsFloatingPoint())
            {
                shared.Add(new SharedTensor(tensor.Name, tensor.Shape, inFile.FileOffset, inFile.DType));
            }
        }
        if (shared.Count == 0)
        {
            throw new InvalidInputException("The model has no floating-point weights that can be shared (no conv or linear weights stored in the file).");
        }
        // Two parameters that are views of one storage would be written twice: keep the first of each location.
        return shared.GroupBy(s => s.FileOffset).Select(g => g.First()).OrderBy(s => s.FileOffset).ToArray();
    }

    private static EvaluationSet Subset(LabelledDataset data, int[] indices, TorchSharp.torch.Device device, int batchSize)
    {
        var perSample = data.SampleShape.Aggregate(1, (product, dimension) => product * dimension);
        var features = new float[(long)indices.Length * perSample];
        var labels = new int[indices.Length];
        for (var i = 0; i < indices.Length; i++)
        {
            Array.Copy(data.Features, (long)indices[i] * perSample, features, (long)i * perSample, perSample);
            labels[i] = data.Labels[indices[i]];
        }
        return new EvaluationSet(features, labels, data.SampleShape, data.Classes, device, batchSize);
    }

    private static string Format(CheckpointFormat format) => format switch
    {
        CheckpointFormat.TorchScript => "torchscript",
        CheckpointFormat.PyTorch => "pytorch",
        CheckpointFormat.Onnx => "onnx",
        _ => "safetensors",
    };

    private static string Describe(CheckpointFormat format) => format == CheckpointFormat.PyTorch ? "PyTorch state_dict" : "safetensors";

    private sealed class SyncStepProgress(Action<int> report) : IProgress<int>
    {
        public void Report(int value) => report(value);
    }
}
