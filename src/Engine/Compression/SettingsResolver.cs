using WeightShare.Engine.Checkpoints;
using WeightShare.Engine.Codecs;
using WeightShare.Engine.Evaluation;
using WeightShare.Engine.Metrics;
using WeightShare.Engine.Wsz;

namespace WeightShare.Engine.Compression;

/// <summary>
/// The one place that fills what a run's settings leave open and refuses what cannot work, each refusal an
/// <see cref="InvalidInputException"/> that says what to change. The API, the new-run page (through the run commands)
/// and the job all resolve through it, so a rule such as "this run calibrates" is written once.
/// </summary>
public sealed class SettingsResolver(CodecRegistry codecs, MetricRegistry metrics)
{
    /// <summary>The codec a new run gets when it names none.</summary>
    public const string DefaultCodec = WeightShare.Engine.Codecs.Scalar.ScalarCodec.CodecId;

    /// <summary>The product's codecs and metrics.</summary>
    public static SettingsResolver Default { get; } = new(CodecRegistry.Default, MetricRegistry.Default);

    /// <summary>The codecs it resolves against.</summary>
    public CodecRegistry Codecs => codecs;

    /// <summary>The metrics it resolves against.</summary>
    public MetricRegistry Metrics => metrics;

    /// <summary>The metric a run on these inputs gets when it names none.</summary>
    public static string DefaultMetric(bool dataFree) => dataFree ? WeightSnrMetric.MetricId : "accuracy";

    /// <summary>
    /// Fills and checks <paramref name="settings"/> for a run on <paramref name="inputs"/>, on
    /// <paramref name="serverDevice"/> unless the settings name a device.
    /// </summary>
    public ResolvedSettings Resolve(RunSettings settings, RunInputs inputs, ComputeDevice serverDevice = ComputeDevice.Cpu)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var codec = Check(settings);
        var metric = metrics.Get(settings.Metric ?? DefaultMetric(inputs.DataFree));
        CheckModelSize(inputs.ModelBytes);
        if (inputs.DataFree ? metric.NeedsData : !metric.NeedsData)
        {
            throw inputs.DataFree
                ? new InvalidInputException($"A run without a dataset measures the weights alone: its metric is {WeightSnrMetric.MetricId}, not {metric.Id}. Give a datasetId to measure {metric.Id}.")
                : new InvalidInputException($"Metric {metric.Id} measures the weights alone, without data: leave the dataset out, or measure one of {string.Join(", ", metrics.All.Where(m => m.NeedsData).Select(m => m.Id))} on it.");
        }
        var canRace = !inputs.DataFree && metric.HasLossInterval;
        if (settings.Search.Racing == true && !canRace)
        {
            throw new InvalidInputException(
                $"search.racing stops an evaluation on the loss interval against the uploaded model, which {(inputs.DataFree ? "a run without a dataset" : "metric " + metric.Id)} does not give: use one of {string.Join(", ", metrics.All.Where(m => m.HasLossInterval).Select(m => m.Id))} on data, or leave search.racing out.");
        }
        var racing = canRace && (settings.Search.Racing ?? codec.Defaults.Racing);
        if (settings.Search.CandidateSamples is not null && !racing)
        {
            throw new InvalidInputException("search.candidateSamples bounds a racing search's measurement of a candidate; this run does not race (search.racing is off, or its metric gives no loss interval): leave search.candidateSamples out.");
        }
        var validationSamples = settings.ValidationSamples;
        var calibrates = false;
        if (inputs.Samples is { } samples)
        {
            if (!inputs.CanRun)
            {
                throw new InvalidInputException(
                    $"A {Describe(inputs.ModelFormat)} file holds weights but no architecture, so its accuracy cannot be measured. " +
                    $"Upload a TorchScript export (torch.jit.script or torch.jit.trace, then torch.jit.save) or an ONNX export, or compress it without data (leave the dataset out: metric {WeightSnrMetric.MetricId}).");
            }
            if (inputs.Classes == 0 && metric.NeedsLabels)
            {
                throw new InvalidInputException(
                    $"The dataset has inputs (x) but no labels (y), so {metric.Id} cannot be measured: use a metric that needs no labels ({string.Join(", ", metrics.All.Where(m => m.NeedsData && !m.NeedsLabels).Select(m => m.Id))}), or upload the labels too.");
            }
            validationSamples ??= DefaultValidationSamples(samples, racing);
            if (validationSamples >= samples)
            {
                throw new InvalidInputException(
                    $"validationSamples is {validationSamples}, but the dataset has only {samples} samples; keep some for the test figures.");
            }
            // Calibration distils class scores through autograd: a codec that calibrates, refinement on, a budget, a metric of class scores, a model with autograd.
            calibrates = codec.Defaults.Calibrates && settings.Merge.Enabled && settings.Calibration.Budget > 0 && metric.Calibrates && inputs.HasAutograd;
            if (calibrates && inputs.Classes == 0 && settings.Calibration.Loss == CalibrationLoss.Labels)
            {
                throw new InvalidInputException("calibration.loss labels needs labels (y), and the dataset has none: use distillation.");
            }
        }
        var remaining = (inputs.Samples ?? 0) - (validationSamples ?? 0);
        var calibrationSamples = calibrates ? settings.Calibration.SamplesFor(calibrates: true, remaining) : 0;
        if (calibrationSamples >= remaining && calibrationSamples > 0)
        {
            throw new InvalidInputException(
                $"calibration.samples is {calibrationSamples}, but validation leaves only {remaining} samples; keep some for the test figures.");
        }
        var defaults = codec.Defaults;
        var resolved = settings with
        {
            Codec = codec.Id,
            Metric = metric.Id,
            ValidationSamples = validationSamples,
            Search = settings.Search.WithDefaults(defaults) with { Racing = racing },
            Objective = settings.Objective ?? defaults.Objective,
            Calibration = settings.Calibration with { Samples = calibrates ? calibrationSamples : 0 },
            Device = settings.Device ?? serverDevice,
        };
        return new ResolvedSettings(resolved, codec, metric, calibrates && calibrationSamples > 0);
    }

    /// <summary>
    /// The validation split a run on <paramref name="samples"/> samples gets when it names none: 1,000, as always,
    /// without racing; with racing, where every candidate that is clearly dominated stops after a few hundred samples,
    /// 30 % of the dataset up to 3,000 (so at least 70 % stays for calibration and test), never below 1,000.
    /// </summary>
    public static int DefaultValidationSamples(int samples, bool racing) =>
        racing ? Math.Max(SmallValidationSplit, Math.Min(LargeValidationSplit, (int)(samples * 0.3))) : SmallValidationSplit;

    /// <summary>The validation split a run gets without racing (and the least it gets with racing).</summary>
    public const int SmallValidationSplit = 1000;

    /// <summary>The largest validation split a racing run gets by default.</summary>
    public const int LargeValidationSplit = 3000;

    /// <summary>
    /// <paramref name="settings"/> with the codec's <see cref="WeightCodec.NewRunOptions"/> added where they name none:
    /// what a run created now uses and stores. Not part of <see cref="Resolve"/>, which also reads the settings of runs
    /// stored by earlier releases, whose left-out options keep their old meaning.
    /// </summary>
    public RunSettings ForNewRun(RunSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var options = new Dictionary<string, string>(settings.CodecOptions ?? []);
        foreach (var (key, value) in codecs.Create(settings.Codec ?? DefaultCodec).NewRunOptions)
        {
            options.TryAdd(key, value);
        }
        return settings with { CodecOptions = options };
    }

    /// <summary>
    /// The checks that need neither model nor data: every setting within its limits, the codec known and its options
    /// and gene bounds accepted, the metric (if named) known. Returns the configured codec.
    /// </summary>
    public WeightCodec Check(RunSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        CheckPresent(settings);
        settings.CheckLimits();
        var codec = codecs.Create(settings.Codec ?? DefaultCodec);
        codec.Configure(settings.CodecOptions);
        CheckGeneBounds(codec, settings.Search);
        if (settings.Metric is { } id)
        {
            metrics.Get(id);
        }
        return codec;
    }

    /// <summary>Refuses a model file larger than a .wsz can rebuild; checked before the file is read.</summary>
    public static void CheckModelSize(long modelBytes)
    {
        if (modelBytes > WszBuilder.MaxOriginalBytes)
        {
            throw new InvalidInputException(
                $"The model is {modelBytes:N0} bytes, more than the {WszBuilder.MaxOriginalBytes:N0} bytes a .wsz file can hold, so it cannot be compressed.");
        }
    }

    /// <summary>
    /// The codec's genes with the run's bounds: search.kMin and search.kMax bound a gene named k, and search.genes
    /// bounds any gene by name (an entry for k wins).
    /// </summary>
    public static IReadOnlyList<Gene> Genes(IReadOnlyList<Gene> genes, SearchSettings search)
    {
        ArgumentNullException.ThrowIfNull(genes);
        ArgumentNullException.ThrowIfNull(search);
        // Within what the codec allows for these weights (a layer group a model does not have stays fixed at 0).
        return genes.Select(gene => search.Genes?.TryGetValue(gene.Name, out var bounds) == true
                ? gene with { Min = Math.Min(Math.Max(gene.Min, bounds.Min), Math.Min(gene.Max, bounds.Max)), Max = Math.Min(gene.Max, bounds.Max) }
                : gene.Name == "k" ? gene with { Min = search.KMin, Max = search.KMax } : gene)
            .ToArray();
    }

    private static void CheckGeneBounds(WeightCodec codec, SearchSettings search)
    {
        if (codec.Genes.FirstOrDefault(g => g.Name == "k") is { } k && (search.KMin < k.Min || search.KMax > k.Max))
        {
            throw new InvalidInputException($"search.kMin and search.kMax must lie within {k.Min}..{k.Max} for the {codec.Id} codec (got {search.KMin} and {search.KMax}).");
        }
        foreach (var (name, bounds) in search.Genes ?? [])
        {
            var gene = codec.Genes.FirstOrDefault(g => g.Name == name)
                ?? throw new InvalidInputException($"search.genes names '{name}', which the {codec.Id} codec does not have; its genes are {string.Join(", ", codec.Genes.Select(g => g.Name))}.");
            if (bounds is null || bounds.Min > bounds.Max || bounds.Min < gene.Min || bounds.Max > gene.Max)
            {
                throw new InvalidInputException(
                    $"search.genes.{name} must satisfy {gene.Min} <= min <= max <= {gene.Max} for the {codec.Id} codec (got {bounds?.Min} and {bounds?.Max}).");
            }
        }
    }

    // JSON null replaces a default with null; the settings objects may be left out, but not set to null. Codec and
    // metric are open (null) until resolved, so null takes their default.
    private static void CheckPresent(RunSettings settings)
    {
        if (settings.Search is null || settings.Merge is null || settings.CodecOptions is null || settings.Calibration is null)
        {
            throw new InvalidInputException("search, merge, codecOptions and calibration may be left out for their defaults, but not set to null (codec and metric may: null takes the default).");
        }
    }

    private static string Describe(CheckpointFormat format) => format == CheckpointFormat.PyTorch ? "PyTorch state_dict" : "safetensors";
}
