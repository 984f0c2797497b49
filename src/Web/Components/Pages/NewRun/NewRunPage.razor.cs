using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Components;
using WeightShare.Engine;
using WeightShare.Engine.Checkpoints;
using WeightShare.Engine.Codecs;
using WeightShare.Engine.Codecs.Paper;
using WeightShare.Engine.Codecs.Scalar;
using WeightShare.Engine.Compression;
using WeightShare.Engine.Datasets;
using WeightShare.Engine.Evaluation;
using WeightShare.Engine.Metrics;
using WeightShare.Jobs.Catalog;
using WeightShare.Jobs.Runs;
using WeightShare.Web.Api;

namespace WeightShare.Web.Components.Pages.NewRun;

/// <summary>Uploads, settings and Start: the run is created only once the model has taken one batch of the data.</summary>
public partial class NewRunPage
{

    private static readonly SearchSettings SearchDefaults = new();
    private ModelInfo? _model;
    private string? _modelError;
    private DatasetInfo? _dataset;
    private string? _datasetError;
    private string? _preprocessingError;
    private PreprocessingPreset _preset = PreprocessingPreset.All[0];
    private double _scale = 1;
    private string _mean = "";
    private string _std = "";
    private int _channels;
    // Nullable: a field the browser cannot read as a number arrives empty, and must show as a problem, not as 0.
    private int? _validationSamples = new RunSettings().ValidationSamples;
    private string _metric = SettingsResolver.DefaultMetric(dataFree: false);
    private int? _population = new ScalarCodec().Defaults.Population;
    private int? _patience = new ScalarCodec().Defaults.Patience;
    private int? _calibrationSamples;
    private int? _calibrationSteps = new CalibrationSettings().Steps;
    private int? _calibrationBudget = new CalibrationSettings().Budget;
    private double? _targetLossPoints = 100 * new CalibrationSettings().TargetLoss;
    private int? _generations = SearchDefaults.Generations;
    private int? _kMin = SearchDefaults.KMin;
    private int? _kMax = SearchDefaults.KMax;
    private int? _seed = SearchDefaults.Seed;
    private ComputeDevice? _device;
    private string? _notes;
    private bool _mergeEnabled = new MergeSettings().Enabled;
    private double? _tolerance = new MergeSettings().Tolerance;
    private bool _starting;
    private string? _startError;

    private IReadOnlyList<ModelInfo> _earlierModels = [];
    private IReadOnlyList<DatasetInfo> _earlierDatasets = [];

    protected override async Task OnInitializedAsync()
    {
        _earlierModels = await Queries.ModelsAsync();
        _earlierDatasets = await Queries.DatasetsAsync();
    }

    private bool _dataFree;

    /// <summary>True when the run will have no data: asked for, or forced by a file without architecture.</summary>
    private bool DataFree => _dataFree || _model is { CanEvaluate: false };

    private bool CanStart => !_starting && _model is not null && (DataFree || _dataset is not null);

    private string WhyNotStart => _model is null ? "Upload a model first."
        : !DataFree && _dataset is null ? "Upload the validation data, or switch to data-free." : "";

    private string DataFreeNote => _model is { CanEvaluate: false }
        ? $"A {_model.Format} file without architecture is compressed data-free: no data is needed, and none is used."
        : "No data is used: the run keeps the weights' signal-to-noise ratio as high as it can, and says nothing of accuracy.";

    /// <summary>The metrics that fit the upload: those of the weights alone without data; with data, those it can give (labels or not).</summary>
    private List<MetricDefinition> OfferedMetrics => Metrics.All
        .Where(m => DataFree ? !m.NeedsData : m.NeedsData && (_dataset is not { Labelled: false } || !m.NeedsLabels))
        .ToList();

    /// <summary>The metric the run will use: the chosen one when it fits, else the first that does.</summary>
    private string RunMetric => OfferedMetrics.Any(m => m.Id == _metric) ? _metric : OfferedMetrics[0].Id;

    private string MetricHelp => DataFree
        ? "Accuracy, macro-F1, agreement and output SNR need a model that runs (TorchScript or ONNX) and data; accuracy and macro-F1 labels too."
        : _dataset is { Labelled: false }
            ? "The data has no labels (y), so accuracy and macro-F1 cannot be measured; weight SNR is for runs without data."
            : "Agreement and output SNR compare with the uploaded model, not the labels; weight SNR is for runs without data.";

    private void ChoosePreset(PreprocessingPreset preset)
    {
        _preset = preset;
        _scale = preset.Value.Scale;
        _mean = string.Join(", ", preset.Value.Mean ?? []);
        _std = string.Join(", ", preset.Value.Std ?? []);
        _channels = preset.Value.Channels;
    }

    private string? _uploadedPreprocessing;

    private string? CurrentPreprocessingJson
    {
        get
        {
            try
            {
                return JsonSerializer.Serialize(new Preprocessing(_scale, Numbers(_mean), Numbers(_std), _channels), RunSettings.Json);
            }
            catch (FormatException)
            {
                return null;
            }
        }
    }

    private Dictionary<string, string> DatasetFields()
    {
        _preprocessingError = null;
        _uploadedPreprocessing = CurrentPreprocessingJson;
        if (_uploadedPreprocessing is null)
        {
            _preprocessingError = "Mean and std must be numbers separated by commas; the data was sent without preprocessing.";
            return new Dictionary<string, string>();
        }
        return new Dictionary<string, string> { ["preprocessing"] = _uploadedPreprocessing };
    }

    private static double[]? Numbers(string text)
    {
        var parts = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return parts.Length == 0 ? null : parts.Select(p => double.Parse(p, CultureInfo.InvariantCulture)).ToArray();
    }

    private async Task StartAsync()
    {
        if (_model is null || (!DataFree && _dataset is null))
        {
            return;
        }
        // Every problem at once, next to its field, before anything is sent; the server's refusals (the data's size,
        // the model on one batch) remain for what only the uploads can tell.
        _settingsChecked = true;
        _startError = OtherProblems;
        if (SettingsProblems().Count > 0)
        {
            return;
        }
        _starting = true;
        try
        {
            var run = await Commands.CreateAsync(_model.Id, DataFree ? null : _dataset!.Id, Settings() with { Device = _device }, _notes);
            Navigation.NavigateTo($"/runs/{run.Id}");
        }
        catch (InvalidInputException e)
        {
            _startError = e.Message;
        }
        finally
        {
            _starting = false;
        }
    }

    private bool _settingsChecked;

    /// <summary>The numeric fields on show, by the path of the setting each fills.</summary>
    private IEnumerable<(string Path, object? Value)> NumberFields()
    {
        yield return ("validationSamples", _validationSamples);
        yield return ("search.population", _population);
        yield return ("search.generations", _generations);
        yield return ("search.kMin", _kMin);
        yield return ("search.kMax", _kMax);
        yield return ("search.seed", _seed);
        yield return ("search.patience", _patience);
        if (CalibrationShown)
        {
            yield return ("calibration.steps", _calibrationSteps);
            yield return ("calibration.budget", _calibrationBudget);
            yield return ("calibration.targetLoss", _targetLossPoints);
        }
        else if (!RefinesByCalibration)
        {
            yield return ("merge.tolerance", _tolerance);
        }
    }

    /// <summary>Whether the field of the setting at <paramref name="path"/> is on show.</summary>
    private bool Shows(string path) => NumberFields().Any(f => f.Path == path) || (path == "calibration.samples" && CalibrationShown);

    /// <summary>
    /// Every problem with the settings as they stand, by path: fields that hold no number, then the Engine's limits of
    /// the settings the fields make (worded with the page's labels where the page shows the field).
    /// </summary>
    private Dictionary<string, string> SettingsProblems()
    {
        // An empty validation field is the run's default split (the resolver's), not a missing number.
        var problems = NumberFields().Where(f => f.Value is null && f.Path != "validationSamples").ToDictionary(f => f.Path, f => NewRunFields.NotANumber(f.Path));
        foreach (var problem in Settings().LimitProblems())
        {
            problems.TryAdd(problem.Field, Shows(problem.Field) ? NewRunFields.Describe(problem) : problem.Message);
        }
        return problems;
    }

    /// <summary>The problem shown under the field of <paramref name="path"/>, once Start has checked the settings.</summary>
    private string? FieldError(string path) => _settingsChecked && SettingsProblems().TryGetValue(path, out var message) ? message : null;

    private bool HasError(string path) => FieldError(path) is not null;

    /// <summary>Problems with settings the page shows no field for (in the API's words), or null.</summary>
    private string? OtherProblems => SettingsProblems().Where(p => !Shows(p.Key)).Select(p => p.Value).ToList() is { Count: > 0 } other
        ? string.Join(" ", other)
        : null;

    /// <summary>How many settings Start refused, once it has checked them.</summary>
    private int ProblemCount => _settingsChecked ? SettingsProblems().Count : 0;

    private string ProblemSummary => ProblemCount == 1 ? "One setting needs changing before the run can start." : $"{ProblemCount} settings need changing before the run can start.";

    // Normalised inputs (x·scale − mean) / std rarely leave ±3; raw bytes reach 255. Past 10, the data was almost surely not normalised.
    private const float NormalisedLimit = 10;

    /// <summary>
    /// A warning for data whose values reach far beyond a normalised range: a model trained on scaled inputs still runs
    /// on raw bytes, but its baseline accuracy reads far below what it is (79 % instead of 90 % on Fashion-MNIST), and
    /// the whole search is measured on inputs it never saw.
    /// </summary>
    private string? RangeWarning
    {
        get
        {
            if (_dataset is not { ValueMin: { } min, ValueMax: { } max } || Math.Max(Math.Abs(min), Math.Abs(max)) <= NormalisedLimit)
            {
                return null;
            }
            var presets = PreprocessingPreset.LikelyFor(_dataset.SampleShape);
            var advice = presets.Count == 0
                ? "Set the scale (1/255 for bytes), mean and std the model was trained with"
                : $"Choose the {string.Join(" or ", presets.Select(p => $"\"{p.Name}\""))} preset (whichever the model was trained with)";
            return string.Create(CultureInfo.InvariantCulture,
                $"The values run from {min:G4} to {max:G4}, far beyond a normalised range: a model trained on normalised inputs would be measured on inputs it never saw, and its accuracy would read far too low. {advice}, then drop the files again.");
        }
    }

    /// <summary>The settings the fields describe; a field that holds no number gives its default (and a problem of its own).</summary>
    private RunSettings Settings()
    {
        var search = new SearchSettings();
        var calibration = new CalibrationSettings();
        return new RunSettings
        {
            Codec = _codec,
            CodecOptions = CanDropDebugTables && _dropDebugTables ? new() { ["debug"] = "drop" } : [],
            ValidationSamples = _validationSamples,
            Metric = RunMetric,
            Search = new SearchSettings(_population, _generations ?? search.Generations, _kMin ?? search.KMin, _kMax ?? search.KMax, _seed ?? search.Seed, _patience),
            Merge = new MergeSettings(_mergeEnabled, _tolerance ?? new MergeSettings().Tolerance),
            Calibration = CalibrationShown
                ? new CalibrationSettings(_calibrationSamples, _calibrationSteps ?? calibration.Steps, Budget: _calibrationBudget ?? calibration.Budget,
                    TargetLoss: (_targetLossPoints ?? 100 * calibration.TargetLoss) / 100)
                : new CalibrationSettings(Samples: 0),
        };
    }

    [Inject] private RunCommands Commands { get; set; } = default!;

    [Inject] private RunQueries Queries { get; set; } = default!;

    [Inject] private NavigationManager Navigation { get; set; } = default!;

    [Inject] private CodecRegistry Codecs { get; set; } = default!;

    [Inject] private MetricRegistry Metrics { get; set; } = default!;

    private string _codec = SettingsResolver.DefaultCodec;

    private IReadOnlyList<Gene> CodecGenes => Codecs.Create(_codec).Genes;

    /// <summary>Whether the chosen codec has the gene k that k min and k max bound.</summary>
    private bool HasK => CodecGenes.Any(g => g.Name == "k");

    private string CodecHelp => "Searches " + string.Join(", ", CodecGenes.Select(g => g.Name == "k"
        ? $"k in [{_kMin}, {_kMax}]"
        : string.Create(CultureInfo.InvariantCulture, $"{g.Name} in [{g.Min}, {g.Max}] ({g.Description})")));

    private bool _dropDebugTables;

    /// <summary>
    /// Whether the chosen codec can leave TorchScript's debug tables out of its files and the model (once chosen) has
    /// them: only TorchScript files do, so a state_dict, safetensors or ONNX model is not offered the switch.
    /// </summary>
    private bool CanDropDebugTables => Codecs.Create(_codec).CanDropDebugTables
        && (_model is null || _model.Format == ModelCatalog.FormatName(CheckpointFormat.TorchScript));

    /// <summary>Whether the chosen codec refines by calibration (its settings then replace the merge's).</summary>
    private bool RefinesByCalibration => Codecs.Create(_codec).Defaults.Calibrates;

    /// <summary>Whether the calibration fields apply: a codec that calibrates, on data (without data nothing calibrates).</summary>
    private bool CalibrationShown => RefinesByCalibration && !DataFree;

    private void ChooseCodec(string codec)
    {
        _codec = codec;
        var defaults = Codecs.Create(codec).Defaults;
        _population = defaults.Population;
        _patience = defaults.Patience;
    }
}
