using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;

namespace WeightShare.LoadTest;

/// <summary>
/// The protocol the Blazor Server hub (/_blazor) accepts: "blazorpack", which is SignalR's MessagePack hub protocol
/// under its own name. blazor.web.js speaks it; so does this client, through the MessagePack protocol of the SignalR
/// client packages.
/// <para>
/// One twist: how many arguments the server's JS.BeginInvokeJS carries has changed between ASP.NET Core releases (3,
/// then 5, then 6 with the call type). A message whose count differs from the handler's fails to bind and would go
/// unanswered, so an interop call the server waits for would time out; such a message is read again with the other
/// counts. Only the first argument, the call's handle, is needed to answer it.
/// </para>
/// </summary>
public sealed class BlazorPackProtocol : IHubProtocol
{
    public const string BeginInvokeJS = "JS.BeginInvokeJS";

    private static readonly int[] BeginInvokeJSArgumentCounts = [6, 5, 3];
    private readonly MessagePackHubProtocol _inner = new();

    public string Name => "blazorpack";

    public int Version => _inner.Version;

    public TransferFormat TransferFormat => TransferFormat.Binary;

    public bool IsVersionSupported(int version) => _inner.IsVersionSupported(version);

    public bool TryParseMessage(ref ReadOnlySequence<byte> input, IInvocationBinder binder, [NotNullWhen(true)] out HubMessage? message)
    {
        var start = input;
        if (!_inner.TryParseMessage(ref input, binder, out message))
        {
            return false;
        }
        if (message is InvocationBindingFailureMessage { Target: BeginInvokeJS })
        {
            foreach (var count in BeginInvokeJSArgumentCounts)
            {
                var again = start;
                if (_inner.TryParseMessage(ref again, new CountBinder(binder, count), out var retried) && retried is InvocationMessage)
                {
                    input = again;
                    message = retried;
                    return true;
                }
            }
        }
        return true;
    }

    public void WriteMessage(HubMessage message, IBufferWriter<byte> output) => _inner.WriteMessage(message, output);

    public ReadOnlyMemory<byte> GetMessageBytes(HubMessage message) => _inner.GetMessageBytes(message);

    /// <summary>JS.BeginInvokeJS's arguments as a handle, then strings and numbers in the order every release sends them.</summary>
    private sealed class CountBinder(IInvocationBinder inner, int count) : IInvocationBinder
    {
        private static readonly Type[] Shape = [typeof(long), typeof(string), typeof(string), typeof(int), typeof(long), typeof(int)];

        public IReadOnlyList<Type> GetParameterTypes(string methodName) =>
            methodName == BeginInvokeJS ? Shape[..count] : inner.GetParameterTypes(methodName);

        public Type GetReturnType(string invocationId) => inner.GetReturnType(invocationId);

        public Type GetStreamItemType(string streamId) => inner.GetStreamItemType(streamId);
    }
}
