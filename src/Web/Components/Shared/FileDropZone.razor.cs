using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;

namespace WeightShare.Web.Components.Shared;

/// <summary>
/// A drop zone that uploads the chosen files straight to the public API (wwwroot/js/upload.js), with the browser's
/// upload progress per file, and sends them again when the server's queue of uploads is full (429 with Retry-After).
/// </summary>
public sealed partial class FileDropZone : IAsyncDisposable
{
    private ElementReference _zone;
    private ElementReference _input;
    private DotNetObjectReference<FileDropZone>? _self;
    private List<ChosenFile> _files = [];
    private bool _busy;
    private bool _uploaded;
    private bool _failed;
    private bool _ready;
    private int? _retryIn;
    private int _attempt;

    [Inject]
    private IJSRuntime JS { get; set; } = default!;

    /// <summary>Where the files are POSTed as multipart field "file".</summary>
    [Parameter, EditorRequired] public string Url { get; set; } = "";

    [Parameter] public string Label { get; set; } = "Drop a file here or click to choose";

    [Parameter] public string Hint { get; set; } = "";

    [Parameter] public bool Multiple { get; set; }

    [Parameter] public string TestId { get; set; } = "drop-zone";

    /// <summary>Extra form fields sent with the files (for example the dataset's preprocessing).</summary>
    [Parameter] public Func<IReadOnlyDictionary<string, string>>? Fields { get; set; }

    /// <summary>Called when a new upload starts, so the page can drop the previous result.</summary>
    [Parameter] public EventCallback OnStarted { get; set; }

    /// <summary>The 201 response body.</summary>
    [Parameter] public EventCallback<string> OnUploaded { get; set; }

    /// <summary>The problem's detail, or a transport error.</summary>
    [Parameter] public EventCallback<string> OnFailed { get; set; }

    public bool Busy => _busy;

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (firstRender)
        {
            _self = DotNetObjectReference.Create(this);
            await JS.InvokeVoidAsync("weightShareUpload.attach", _zone, _input, _self);
            // Until now the zone was prerendered markup with no listener: files chosen then were silently dropped.
            _ready = true;
            StateHasChanged();
        }
    }

    [JSInvokable]
    public async Task OnFilesChosen(ChosenFile[] files)
    {
        if (_busy)
        {
            return;
        }
        _files = files.ToList();
        _busy = true;
        _uploaded = false;
        _failed = false;
        _retryIn = null;
        await OnStarted.InvokeAsync();
        StateHasChanged();
        try
        {
            var fields = Fields?.Invoke() ?? new Dictionary<string, string>();
            var response = await JS.InvokeAsync<UploadResponse>("weightShareUpload.send", TimeSpan.FromHours(6), _zone, Url, fields, _self);
            if (response.Status is 200 or 201)
            {
                await OnUploaded.InvokeAsync(response.Body);
            }
            else
            {
                _failed = true;
                await OnFailed.InvokeAsync(Problems.DetailOf(response.Status, response.Body));
            }
        }
        finally
        {
            _busy = false;
            _retryIn = null;
            StateHasChanged();
        }
    }

    /// <summary>The server answered 429: the files go again in <paramref name="seconds"/> s, as attempt <paramref name="attempt"/>.</summary>
    [JSInvokable]
    public Task OnBusy(int seconds, int attempt)
    {
        (_retryIn, _attempt, _uploaded) = (seconds, attempt, false);
        foreach (var file in _files)
        {
            file.Percent = 0;
        }
        StateHasChanged();
        return Task.CompletedTask;
    }

    [JSInvokable]
    public Task OnProgress(long loaded, long total)
    {
        // One request carries every file in order: share the bytes out file by file.
        var scale = total > 0 ? (double)_files.Sum(f => f.Size) / total : 1;
        var sent = loaded * scale;
        foreach (var file in _files)
        {
            var part = Math.Clamp(sent, 0, file.Size);
            file.Percent = file.Size == 0 ? 100 : 100 * part / file.Size;
            sent -= file.Size;
        }
        _uploaded = loaded >= total;
        _retryIn = null;
        StateHasChanged();
        return Task.CompletedTask;
    }

    public ValueTask DisposeAsync()
    {
        _self?.Dispose();
        return ValueTask.CompletedTask;
    }

    public sealed class ChosenFile
    {
        public string Name { get; set; } = "";

        public long Size { get; set; }

        public double Percent { get; set; }
    }

    public sealed record UploadResponse(int Status, string Body);
}
