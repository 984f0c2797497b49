using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Components;
using WeightShare.Engine;
using WeightShare.Engine.Codecs;
using WeightShare.Engine.Codecs.Paper;
using WeightShare.Engine.Codecs.Scalar;
using WeightShare.Engine.Compression;
using WeightShare.Engine.Datasets;
using WeightShare.Engine.Evaluation;
using WeightShare.Engine.Metrics;
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
    private int _validationSamples = new RunSettings().ValidationSamples;
    private string _metric = SettingsResolver.DefaultMetric(dataFree: false);
    private int _population = new ScalarCodec().Defaults.Population;
    private int _patience = new ScalarCodec().Defaults.Patience;
    private int? _calibrationSamples;
    private int _calibrationSteps = new CalibrationSettings().Steps;
    private int _calibrationBudget = new CalibrationSettings().Budget;
    private double _targetLossPoints = 100 * new CalibrationSettings().TargetLoss;
    private int _generations = SearchDefaults.Generations;
    private int _kMin = SearchDefaults.KMin;
    private int _kMax = SearchDefaults.KMax;
    private int _seed = SearchDefaults.Seed;
    private ComputeDevice? _device;
    private string? _notes;
    private bool _mergeEnabled = new MergeSettings().Enabled;
    private double _tolerance = new MergeSettings().Tolerance;
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
        _starting = true;
        _startError = null;
        try
        {
            var settings = new RunSettings
            {
                Codec = _codec,
                CodecOptions = CanDropDebugTables && _dropDebugTables ? new() { ["debug"] = "drop" } : [],
                ValidationSamples = _validationSamples,
                Metric = RunMetric,
                Search = new SearchSettings(_population, _generations, _kMin, _kMax, _seed, _patience),
                Merge = new MergeSettings(_mergeEnabled, _tolerance),
                Calibration = RefinesByCalibration && !DataFree
                    ? new CalibrationSettings(_calibrationSamples, _calibrationSteps, Budget: _calibrationBudget, TargetLoss: _targetLossPoints / 100)
                    : new CalibrationSettings(Samples: 0),
            };
            var run = await Commands.CreateAsync(_model.Id, DataFree ? null : _dataset!.Id, settings with { Device = _device }, _notes);
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

    /// <summary>Whether the chosen codec can leave TorchScript's debug tables out of its files.</summary>
    private bool CanDropDebugTables => Codecs.Create(_codec).CanDropDebugTables;

    /// <summary>Whether the chosen codec refines by calibration (its settings then replace the merge's).</summary>
    private bool RefinesByCalibration => Codecs.Create(_codec).Defaults.Calibrates;

    private void ChooseCodec(string codec)
    {
        _codec = codec;
        var defaults = Codecs.Create(codec).Defaults;
        _population = defaults.Population;
        _patience = defaults.Patience;
    }
}
