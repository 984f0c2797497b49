using WeightShare.Engine.Checkpoints;
using WeightShare.Engine.Codecs;
using WeightShare.Engine.Datasets;
using WeightShare.Engine.Evaluation;
using WeightShare.Engine.Metrics;
using WeightShare.Engine.Pipeline;
using WeightShare.Engine.Wsz;

namespace WeightShare.Engine.Compression;

/// <summary>
/// One compression run's working state: its resolved settings, the shared weights and the codec that represents them,
/// how solutions are measured (<see cref="SolutionEvaluator"/>) and written (<see cref="SolutionWriter"/>). The order
/// of the phases is <see cref="CompressionPipeline"/>'s.
/// </summary>
public sealed class CompressionSession : IDisposable
{
    private readonly SolutionEvaluator _evaluator;
    private readonly SolutionWriter _writer;
    private readonly float[] _scratch;

    // The file the compressed files and checkpoints are made from: the upload, or a copy of it without TorchScript
    // debug tables (deleted with the session) when the codec drops them.
    private readonly string _sourcePath;

    // Whole-split validation figures by plan, from MeasureWholeValidation until Finish takes them.
    private readonly Dictionary<string, EvaluationResult> _wholeValidation = new(StringComparer.Ordinal);

    private CompressionSession(string modelPath, string sourcePath, string modelFileName, CheckpointLayout layout, ResolvedSettings resolved, SharedWeights weights, IReadOnlyList<SharedTensor> small, SolutionEvaluator evaluator)
    {
        ModelPath = modelPath;
        _sourcePath = sourcePath;
        ModelFileName = modelFileName;
        Layout = layout;
        Options = resolved.Settings;
        Codec = resolved.Codec;
        Metric = resolved.Metric;
        Weights = weights;
        SmallParameters = small;
        _evaluator = evaluator;
        _scratch = new float[weights.Count];
        _writer = new SolutionWriter(sourcePath, layout, modelFileName, weights.Tensors, small, resolved.Codec);
        Genes = SettingsResolver.Genes(Codec.GenesFor(weights), Options.Search);
        Calibrating = resolved.Calibrates && evaluator.CanCalibrate;
        FrontRefinement = Codec.FrontRefinementFor(Calibrating);
    }

    /// <summary>The uploaded model file.</summary>
    public string ModelPath { get; }

    /// <summary>The model's file name as the .wsz files record it, and as decompressing gives it back.</summary>
    public string ModelFileName { get; }

    /// <summary>Where every tensor sits in the file the compressed files are made from (the upload, or its copy without debug tables).</summary>
    public CheckpointLayout Layout { get; }

    /// <summary>The run's settings, resolved: nothing in them is left open.</summary>
    public RunSettings Options { get; }

    /// <summary>The codec that represents the shared weights.</summary>
    public WeightCodec Codec { get; }

    /// <summary>The run's metric.</summary>
    public MetricDefinition Metric { get; }

    /// <summary>The codec's genes with the bounds this run searches.</summary>
    public IReadOnlyList<Gene> Genes { get; }

    /// <summary>The shared tensors (in shared-vector order) and their original values.</summary>
    public SharedWeights Weights { get; }

    /// <summary>The tensors that share one codebook, in shared-vector order.</summary>
    public IReadOnlyList<SharedTensor> Shared => Weights.Tensors;

    /// <summary>Number of weights in the shared vector.</summary>
    public long SharedWeightCount => Weights.Count;

    /// <summary>The unshared parameters a codec may tune (biases, norm scales and shifts stored whole in the file).</summary>
    public IReadOnlyList<SharedTensor> SmallParameters { get; }

    /// <summary>True when the run has no model to run and no data: the metric is the shared weights' fidelity (weightSnr).</summary>
    public bool DataFree => _evaluator.DataFree;

    /// <summary>Samples in the validation split (0 in a data-free run).</summary>
    public int ValidationCount => _evaluator.ValidationCount;

    /// <summary>Samples in the test split (0 in a data-free run).</summary>
    public int TestCount => _evaluator.TestCount;

    /// <summary>Which samples of the dataset the test split holds, ascending: what an outside check must measure on.</summary>
    public IReadOnlyList<int> TestIndices => _evaluator.TestIndices;

    /// <summary>Samples in the calibration split (0 when the run does not calibrate).</summary>
    public int CalibrationCount => _evaluator.CalibrationCount;

    /// <summary>True when this run calibrates (<see cref="ResolvedSettings.Calibrates"/>, with a backend that can).</summary>
    public bool Calibrating { get; }

    /// <summary>Which front points become solutions and which are refined: the codec's choice for this run.</summary>
    public FrontRefinement FrontRefinement { get; }

    /// <summary>The search's second objective.</summary>
    public SizeObjective Objective => Options.Objective ?? Codec.Defaults.Objective;

    /// <summary>Generations of flat hypervolume before the search stops (0 = never).</summary>
    public int Patience => Options.Search.Patience ?? Codec.Defaults.Patience;

    /// <summary>
    /// True when the search races its evaluations (<see cref="SearchSettings.Racing"/>): a run on data whose metric
    /// gives a loss interval against the uploaded model, with racing on.
    /// </summary>
    public bool Racing => !DataFree && RacesWith(Options, Metric);

    /// <summary>NSGA-II's population.</summary>
    public int Population => Options.Search.Population ?? Codec.Defaults.Population;

    /// <summary>
    /// Loads a TorchScript or ONNX model and a preprocessed dataset, resolves the settings for them, splits the dataset
    /// by the seed and checks that the model takes one batch of it. Every problem is an
    /// <see cref="InvalidInputException"/> that says what to change.
    /// </summary>
    /// <param name="modelPath">The model file.</param>
    /// <param name="data">The preprocessed dataset.</param>
    /// <param name="settings">The run's settings.</param>
    /// <param name="modelFileName">The name the .wsz files record, for a file stored under another name (an upload
    /// stored by its hash); the file's own name when null or when the format cannot hold it.</param>
    /// <param name="resolver">The codecs and metrics the run may name; <see cref="SettingsResolver.Default"/> when null.</param>
    public static CompressionSession Open(string modelPath, LabelledDataset data, RunSettings settings, string? modelFileName = null, SettingsResolver? resolver = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        SettingsResolver.CheckModelSize(new FileInfo(modelPath).Length);
        var layout = CheckpointReader.Read(modelPath);
        var resolved = (resolver ?? SettingsResolver.Default).Resolve(settings, new RunInputs(layout.Format, new FileInfo(modelPath).Length, data.Count, data.Classes));
        var options = resolved.Settings;
        var sourcePath = resolved.Codec.DropsDebugTables && layout.Format == CheckpointFormat.TorchScript
            ? Path.Combine(Path.GetTempPath(), $"wsw-{Guid.NewGuid():N}-{Path.GetFileName(modelPath)}")
            : modelPath;
        ModelBackend? model = null;
        EvaluationSplits? splits = null;
        try
        {
            if (sourcePath != modelPath)
            {
                TorchScriptSlimmer.WriteWithoutDebugTables(modelPath, sourcePath);
                layout = CheckpointReader.Read(sourcePath);
            }
            var device = options.Device ?? ComputeDevice.Cpu;
            model = ModelBackends.Load(sourcePath, layout, device);
            var shared = SharedTensorSelection.Shared(model, layout, options.Scope);
            var small = SharedTensorSelection.Small(model, layout, shared);
            var validationSamples = options.ValidationSamples ?? throw new InvalidOperationException("A run on data resolves its validation samples.");
            splits = EvaluationSplits.Create(model, data, resolved.Metric, validationSamples, resolved.CalibrationSamples, options.Search.Seed, TorchDevices.Resolve(device), options.BatchSize, RacesWith(options, resolved.Metric));
            var weights = new SharedWeights(shared, model.ReadFlat(shared.Select(s => s.Name).ToArray()));
            var evaluator = new ModelEvaluator(model, splits, resolved.Metric, weights, small);
            return new CompressionSession(modelPath, sourcePath, RecordedName(modelPath, modelFileName), layout, resolved, weights, small, evaluator);
        }
        catch
        {
            splits?.Dispose();
            model?.Dispose();
            DeleteCopy(modelPath, sourcePath);
            throw;
        }
    }

    /// <summary>
    /// Opens a data-free run: no model is run and no data is needed, so any checkpoint the reader knows will do
    /// (a state_dict, safetensors, TorchScript). The metric is the shared weights' fidelity to the uploaded ones
    /// (weightSnr), measured on the values as the file stores them (float16 and bfloat16 tensors keep their element
    /// type, so their rounding counts). Nothing calibrates: there are no samples.
    /// </summary>
    /// <param name="modelPath">The checkpoint file.</param>
    /// <param name="settings">The run's settings; a metric, if named, must be weightSnr.</param>
    /// <param name="modelFileName">The name the .wsz files record (as for <see cref="Open"/>).</param>
    /// <param name="resolver">The codecs and metrics the run may name; <see cref="SettingsResolver.Default"/> when null.</param>
    public static CompressionSession OpenDataFree(string modelPath, RunSettings settings, string? modelFileName = null, SettingsResolver? resolver = null)
    {
        SettingsResolver.CheckModelSize(new FileInfo(modelPath).Length);
        var layout = CheckpointReader.Read(modelPath);
        var resolved = (resolver ?? SettingsResolver.Default).Resolve(settings, new RunInputs(layout.Format, new FileInfo(modelPath).Length));
        var stored = SharedTensorSelection.Stored(layout, resolved.Settings.Scope);
        var values = new float[stored.Sum(s => s.ElementCount)];
        var offset = 0;
        foreach (var tensor in stored)
        {
            FloatCodec.DecodeFloats(CheckpointReader.ReadTensorBytes(modelPath, layout, tensor, tensor.ByteLength), tensor.DType).CopyTo(values.AsSpan(offset));
            offset += (int)tensor.ElementCount;
        }
        var weights = new SharedWeights(stored.Select(t => new SharedTensor(t.Name, t.Shape, t.FileOffset, t.DType)).ToArray(), values);
        return new CompressionSession(modelPath, modelPath, RecordedName(modelPath, modelFileName), layout, resolved, weights, [], new WeightEvaluator(weights));
    }

    /// <summary>The uploaded model's own figures on both splits.</summary>
    public BaselineFigures EvaluateBaseline(CancellationToken cancellationToken = default)
    {
        var (validation, test) = _evaluator.Baseline(cancellationToken);
        return new BaselineFigures(validation, test, new FileInfo(ModelPath).Length);
    }

    /// <summary>The codec's representation of <paramref name="plan"/>.</summary>
    public Quantization Quantize(SolutionPlan plan) => Codec.Quantize(Weights, plan);

    /// <summary>Puts <paramref name="quantization"/>'s weights into the model and measures it on the validation split.</summary>
    public EvaluationResult Evaluate(Quantization quantization, CancellationToken cancellationToken = default)
    {
        Load(quantization);
        return _evaluator.MeasureValidation(cancellationToken);
    }

    /// <summary>
    /// Puts <paramref name="quantization"/>'s weights into the model and measures it on the validation split
    /// <paramref name="chunk"/> samples at a time, until <paramref name="enough"/>, told the figures so far after each
    /// chunk but the last, says to stop (<see cref="EvaluationResult.Samples"/> says how many were measured).
    /// </summary>
    public EvaluationResult Evaluate(Quantization quantization, int chunk, Func<EvaluationResult, bool> enough, CancellationToken cancellationToken = default)
    {
        Load(quantization);
        return _evaluator.MeasureValidation(chunk, enough, cancellationToken);
    }

    /// <summary>
    /// Bytes of the .wsz file <paramref name="quantization"/> is written to, without writing it: the codec's block
    /// and everything around it (header, segments, the compressed residual of the uploaded file).
    /// </summary>
    public long FileBytes(Quantization quantization)
    {
        ArgumentNullException.ThrowIfNull(quantization);
        return _writer.FileBytes(quantization.BlockBytes, Weights.Values);
    }

    /// <summary>
    /// Lets the codec refine <paramref name="plan"/> against the validation split with the run's tolerance; null when
    /// the codec has no refinement.
    /// </summary>
    /// <param name="plan">The front point to refine.</param>
    /// <param name="progress">Told of each refinement step (a merge, or the calibrated point).</param>
    /// <param name="cancellationToken">Stops the refinement within one step.</param>
    /// <param name="status">Told lines a person reads: the calibration's outcome, and its steps unless <paramref name="calibrationSteps"/> takes them.</param>
    /// <param name="calibrationSteps">Told of every calibration step done (1-based, of the run's calibration steps), for a caller that times them.</param>
    public Task<Refinement?> RefineAsync(SolutionPlan plan, IProgress<RefineStep>? progress, CancellationToken cancellationToken, IProgress<string>? status = null, IProgress<int>? calibrationSteps = null)
    {
        var context = new RefineContext(
            (quantization, token) => ValueTask.FromResult(1 - Metric.ValueOf(Evaluate(quantization, token))),
            Options.Merge.Tolerance,
            progress)
        {
            Calibrate = Calibrating ? (terms, values, token) => Calibrate(terms, values, status, calibrationSteps, token) : null,
            Status = status,
            MeasureValidation = (refined, quantization, token) =>
            {
                var validation = MeasureWholeValidation(refined, quantization, token);
                return ValueTask.FromResult((Metric.ValueOf(validation), validation.Loss));
            },
        };
        return Codec.RefineAsync(Weights, plan, context, cancellationToken);
    }

    /// <summary>
    /// Builds one solution: measures it on both splits, writes the .wsz file to <paramref name="compressedPath"/> and
    /// the checkpoint with the shared weights, in the uploaded format, to <paramref name="checkpointPath"/>.
    /// </summary>
    public SolutionFigures Finish(SolutionPlan plan, string compressedPath, string checkpointPath, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var quantization = Quantize(plan);
        Load(quantization);
        // Figures this session measured on the whole split for the same plan are the same weights' figures: not again.
        var validation = _wholeValidation.Remove(KeyOf(plan), out var known) ? known : MeasureValidationSplit(cancellationToken);
        var test = _evaluator.MeasureTest(cancellationToken);
        var encoded = quantization.Encode();
        _writer.Write(encoded.Block, _scratch, quantization.SmallParameters, compressedPath, checkpointPath);
        return new SolutionFigures(
            quantization.SharedValues,
            quantization.Description,
            validation.Accuracy,
            test.Accuracy,
            validation.MacroF1,
            test.MacroF1,
            encoded.BitsPerWeight,
            new FileInfo(compressedPath).Length,
            new FileInfo(ModelPath).Length)
        {
            ValidationMetric = Metric.ValueOf(validation),
            TestMetric = Metric.ValueOf(test),
            ValidationLoss = validation.Loss,
            TestLoss = test.Loss,
            ValidationInterval = validation.Interval,
            TestInterval = test.Interval,
        };
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _evaluator.Dispose();
        DeleteCopy(ModelPath, _sourcePath);
    }

    /// <summary>
    /// Measures <paramref name="plan"/> on every validation sample and keeps the figures until <see cref="Finish"/>
    /// writes that plan, which then need not measure them again: a front point the search measured on fewer samples,
    /// or a calibrated point (accepted by its interval, which only the whole split makes as narrow as it can be).
    /// </summary>
    public EvaluationResult MeasureWholeValidation(SolutionPlan plan, CancellationToken cancellationToken = default) =>
        MeasureWholeValidation(plan, Quantize(plan), cancellationToken);

    private EvaluationResult MeasureWholeValidation(SolutionPlan plan, Quantization quantization, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        Load(quantization);
        var validation = MeasureValidationSplit(cancellationToken);
        _wholeValidation[KeyOf(plan)] = validation;
        return validation;
    }

    /// <summary>Whole validation splits this session has measured for <see cref="MeasureWholeValidation(SolutionPlan, CancellationToken)"/> and <see cref="Finish"/>.</summary>
    internal int WholeValidationsMeasured { get; private set; }

    private EvaluationResult MeasureValidationSplit(CancellationToken cancellationToken)
    {
        WholeValidationsMeasured++;
        return _evaluator.MeasureValidation(cancellationToken);
    }

    // One key per plan: its genes and its refinement (a calibrated plan's values and small parameters, as JSON).
    private static string KeyOf(SolutionPlan plan) => string.Join(',', plan.Genes) + "|" + plan.Refinement;

    /// <summary>Writes a quantization's shared weights, and its small parameters or the uploaded ones, into what is measured.</summary>
    private void Load(Quantization quantization)
    {
        ArgumentNullException.ThrowIfNull(quantization);
        quantization.Dequantize(_scratch);
        _evaluator.Load(_scratch, quantization.SmallParameters);
    }

    /// <summary>Calibrates a codebook with the run's calibration settings (what a codec's refinement calls).</summary>
    internal CalibrationResult Calibrate(int[][] terms, float[] values, IProgress<string>? status, IProgress<int>? calibrationSteps, CancellationToken cancellationToken)
    {
        var steps = Options.Calibration.Steps;
        var progress = calibrationSteps ?? new SyncProgress<int>(step =>
        {
            if (step == 1 || step % 10 == 0 || step == steps)
            {
                status?.Report($"{Codec.CalibrationName} step {step} of {steps}");
            }
        });
        return _evaluator.Calibrate(terms, values, Options.Calibration.ToOptions(Options.Search.Seed), progress, cancellationToken);
    }

    private static bool RacesWith(RunSettings options, MetricDefinition metric) => options.Search.Racing == true && metric.HasLossInterval;

    /// <summary>The name the .wsz files record: the given one when the format can hold it, else the file's own.</summary>
    private static string RecordedName(string modelPath, string? modelFileName) =>
        modelFileName is not null && WszLayout.CanHoldFileName(modelFileName) ? modelFileName : Path.GetFileName(modelPath);

    private static void DeleteCopy(string modelPath, string sourcePath)
    {
        if (sourcePath != modelPath)
        {
            File.Delete(sourcePath);
        }
    }
}
