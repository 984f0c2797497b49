using WeightShare.Engine.Checkpoints;
using WeightShare.Engine.Coding;
using WeightShare.Engine.Datasets;
using WeightShare.Engine.Evaluation;
using WeightShare.Engine.Search;
using WeightShare.Engine.Sharing;
using WeightShare.Engine.Tensors;

namespace WeightShare.Engine.Compression;

/// <summary>
/// One compression run's working state: the loaded model, its shared weight vector, the validation and test
/// splits on the evaluation device, and a cache of evaluated k. The phases (baseline, search, merge, finish) are
/// separate calls so that a host can persist between them and resume; <see cref="WeightShareCompressor"/> chains them.
/// </summary>
public sealed class CompressionSession : IDisposable
{
    private readonly ScriptedModel _model;
    private readonly EvaluationSet _validation;
    private readonly EvaluationSet _test;
    private readonly string[] _sharedNames;
    private readonly float[] _original;
    private readonly float[] _scratch;
    private readonly ushort[] _bins;
    private readonly Dictionary<int, Candidate> _candidates = new();

    private CompressionSession(
        string modelPath,
        string modelFileName,
        CheckpointLayout layout,
        ScriptedModel model,
        IReadOnlyList<SharedTensor> shared,
        EvaluationSet validation,
        EvaluationSet test,
        CompressionOptions options)
    {
        ModelPath = modelPath;
        ModelFileName = modelFileName;
        Layout = layout;
        _model = model;
        Shared = shared;
        _validation = validation;
        _test = test;
        Options = options;
        _sharedNames = shared.Select(s => s.Name).ToArray();
        _original = model.ReadFlat(_sharedNames);
        _scratch = new float[_original.Length];
        _bins = new ushort[_original.Length];
    }

    /// <summary>The uploaded model file.</summary>
    public string ModelPath { get; }

    /// <summary>The model's file name as the .wsz files record it, and as decompressing gives it back.</summary>
    public string ModelFileName { get; }

    /// <summary>Where every tensor sits in the uploaded file.</summary>
    public CheckpointLayout Layout { get; }

    /// <summary>The tensors that share one codebook, in shared-vector order.</summary>
    public IReadOnlyList<SharedTensor> Shared { get; }

    /// <summary>The run's settings.</summary>
    public CompressionOptions Options { get; }

    /// <summary>Number of weights in the shared vector.</summary>
    public long SharedWeightCount => _original.Length;

    /// <summary>Every k evaluated so far with its figures, in no particular order.</summary>
    public IReadOnlyCollection<Candidate> Evaluated => _candidates.Values;

    /// <summary>Samples in the validation split.</summary>
    public int ValidationCount => _validation.Count;

    /// <summary>Samples in the test split.</summary>
    public int TestCount => _test.Count;

    /// <summary>
    /// Loads a TorchScript model and a preprocessed dataset, splits the dataset by the seed and checks that the model
    /// takes one batch of it. Every problem is an <see cref="InvalidInputException"/> that says what to change.
    /// </summary>
    /// <param name="modelPath">The model file.</param>
    /// <param name="data">The preprocessed dataset.</param>
    /// <param name="options">The run's settings.</param>
    /// <param name="modelFileName">The name the .wsz files record, for a file stored under another name (an upload
    /// stored by its hash); the file's own name when null or when the format cannot hold it.</param>
    public static CompressionSession Open(string modelPath, LabelledDataset data, CompressionOptions options, string? modelFileName = null)
    {
        options.Validate();
        var layout = CheckpointReader.Read(modelPath);
        if (layout.Format != CheckpointFormat.TorchScript)
        {
            throw new InvalidInputException(
                $"A {Describe(layout.Format)} file holds weights but no architecture, so its accuracy cannot be measured. " +
                "Upload a TorchScript export (torch.jit.script or torch.jit.trace, then torch.jit.save).");
        }
        if (options.ValidationSamples >= data.Labels.Length)
        {
            throw new InvalidInputException(
                $"validationSamples is {options.ValidationSamples}, but the dataset has only {data.Labels.Length} samples; keep some for the test figures.");
        }

        var model = ScriptedModel.Load(modelPath, options.Device);
        EvaluationSet? validation = null;
        try
        {
            var shared = ChooseShared(model, layout, options.Scope);
            var split = DatasetSplitter.SplitBalanced(data.Labels, data.Classes, options.ValidationSamples, options.Search.Seed);
            var device = TorchDevices.Resolve(options.Device);
            validation = Subset(data, split.ValidationIndices, device, options.BatchSize);
            var test = Subset(data, split.TestIndices, device, options.BatchSize);
            model.CheckTakes(validation);
            var recordedName = modelFileName is not null && WszLayout.CanHoldFileName(modelFileName) ? modelFileName : Path.GetFileName(modelPath);
            var session = new CompressionSession(modelPath, recordedName, layout, model, shared, validation, test, options);
            return session;
        }
        catch
        {
            validation?.Dispose();
            model.Dispose();
            throw;
        }
    }

    /// <summary>The uploaded model's own figures on both splits.</summary>
    public BaselineFigures EvaluateBaseline(CancellationToken cancellationToken = default)
    {
        _model.WriteFlat(_sharedNames, _original);
        var validation = _model.Evaluate(_validation, cancellationToken);
        var test = _model.Evaluate(_test, cancellationToken);
        return new BaselineFigures(validation, test, new FileInfo(ModelPath).Length);
    }

    /// <summary>Shares the weights through k uniform bins and measures validation figures; cached by k.</summary>
    public Candidate Evaluate(int k, CancellationToken cancellationToken = default)
    {
        if (_candidates.TryGetValue(k, out var cached))
        {
            return cached;
        }
        var bins = WeightBins.Assign(_original, k, _bins);
        var codebook = Codebook.FromBins(bins);
        WeightSharing.Dequantize(bins, codebook.Values, _scratch);
        _model.WriteFlat(_sharedNames, _scratch);
        var candidate = new Candidate(k, bins.Count, _model.Evaluate(_validation, cancellationToken));
        _candidates[k] = candidate;
        return candidate;
    }

    /// <summary>
    /// NSGA-II over k: objectives 1 - validation metric and shared values, both minimised. <paramref name="onGeneration"/>
    /// sees every generation's report with the state to resume from; <paramref name="resumeFrom"/> continues a run.
    /// </summary>
    public Task<Nsga2Result> SearchAsync(
        Func<GenerationReport, Nsga2State, CancellationToken, ValueTask>? onGeneration,
        Nsga2State? resumeFrom,
        CancellationToken cancellationToken)
    {
        var search = Options.Search;
        var nsga = new Nsga2Options([search.KMin], [search.KMax])
        {
            Population = search.Population,
            Generations = search.Generations,
            Seed = search.Seed,
            HypervolumeReference = [1.0, search.KMax],
        };
        return Nsga2.RunAsync(
            nsga,
            (x, token) =>
            {
                var candidate = Evaluate(x[0], token);
                return ValueTask.FromResult(new[] { 1 - candidate.Validation.Of(Options.Metric), (double)candidate.SharedValues });
            },
            onGeneration,
            resumeFrom,
            cancellationToken);
    }

    /// <summary>
    /// Merges neighbouring bins of the k-bin codebook wherever the validation metric does not fall by more than the
    /// tolerance (design.md, "Iterative merge").
    /// </summary>
    public async Task<SolutionPlan> MergeAsync(int k, IProgress<MergeStep>? progress, CancellationToken cancellationToken)
    {
        var bins = WeightBins.Assign(_original, k, _bins);
        var result = await MergeSearch.RunAsync(
            bins.Count,
            (groupStarts, token) =>
            {
                var (codebook, binToValue) = Codebook.FromGroups(bins, groupStarts);
                WeightSharing.Dequantize(bins, WeightSharing.BinValues(codebook, binToValue), _scratch);
                _model.WriteFlat(_sharedNames, _scratch);
                return ValueTask.FromResult(1 - _model.Evaluate(_validation, token).Of(Options.Metric));
            },
            new MergeOptions(Options.Merge.Tolerance),
            progress,
            cancellationToken).ConfigureAwait(false);
        return new SolutionPlan(k, result.GroupStarts.Count < bins.Count ? result.GroupStarts : null);
    }

    /// <summary>
    /// Builds one solution: measures it on both splits, writes the .wsz file to <paramref name="compressedPath"/> and
    /// the checkpoint with the shared weights, in the uploaded format, to <paramref name="checkpointPath"/>.
    /// </summary>
    public SolutionFigures Finish(SolutionPlan plan, string compressedPath, string checkpointPath, CancellationToken cancellationToken = default)
    {
        var bins = WeightBins.Assign(_original, plan.K, _bins);
        var (codebook, binToValue) = plan.GroupStarts is null
            ? (Codebook.FromBins(bins), Enumerable.Range(0, bins.Count).ToArray())
            : Codebook.FromGroups(bins, plan.GroupStarts);
        var binValues = WeightSharing.BinValues(codebook, binToValue);
        WeightSharing.Dequantize(bins, binValues, _scratch);
        _model.WriteFlat(_sharedNames, _scratch);
        var validation = _model.Evaluate(_validation, cancellationToken);
        var test = _model.Evaluate(_test, cancellationToken);

        var indices = WeightSharing.Indices(bins, binToValue);
        var content = WriteCompressed(codebook.Values, indices, compressedPath);
        var bitsPerWeight = CanonicalHuffman.AverageCodeLength(WeightSharing.CountPerValue(bins, binToValue), content.CodeLengths);
        WriteCheckpoint(checkpointPath);
        return new SolutionFigures(
            plan.K,
            codebook.Values.Length,
            validation.Accuracy,
            test.Accuracy,
            validation.MacroF1,
            test.MacroF1,
            bitsPerWeight,
            new FileInfo(compressedPath).Length,
            new FileInfo(ModelPath).Length,
            plan.Merged);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _validation.Dispose();
        _test.Dispose();
        _model.Dispose();
    }

    private WszContent WriteCompressed(float[] codebook, ushort[] indices, string path)
    {
        var segments = Shared.Select(s => new WszSegment(s.Name, s.FileOffset, s.ElementCount, s.DType)).ToArray();
        var content = WszBuilder.Build(File.ReadAllBytes(ModelPath), Format(Layout.Format), ModelFileName, segments, CrcFixups(), codebook, indices);
        var temporary = path + ".partial";
        using (var output = File.Create(temporary))
        {
            WszWriter.Write(output, content);
        }
        File.Move(temporary, path, overwrite: true);
        return content;
    }

    private void WriteCheckpoint(string path)
    {
        var patches = new List<BytePatch>();
        var offset = 0;
        foreach (var tensor in Shared)
        {
            var count = (int)tensor.ElementCount;
            patches.Add(new BytePatch(tensor.FileOffset, FloatCodec.EncodeFloats(_scratch.AsSpan(offset, count), tensor.DType)));
            offset += count;
        }
        var temporary = path + ".partial";
        using (var output = File.Create(temporary))
        {
            CheckpointPatcher.Write(ModelPath, patches, Layout.ZipEntries, output);
        }
        File.Move(temporary, path, overwrite: true);
    }

    // Zip entries holding shared weights need their CRC-32 recomputed once the weights are replaced.
    private IReadOnlyList<WszCrcFixup> CrcFixups() => Layout.ZipEntries
        .Where(e => Shared.Any(s => s.FileOffset >= e.DataOffset && s.FileOffset < e.DataOffset + e.CompressedSize))
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

    private static IReadOnlyList<SharedTensor> ChooseShared(ScriptedModel model, CheckpointLayout layout, SharedScope scope)
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
                shared.Add(new SharedTensor(tensor.Name, tensor.ElementCount, inFile.FileOffset, inFile.DType));
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
        _ => "safetensors",
    };

    private static string Describe(CheckpointFormat format) => format == CheckpointFormat.PyTorch ? "PyTorch state_dict" : "safetensors";
}
