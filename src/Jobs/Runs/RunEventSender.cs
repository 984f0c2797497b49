using Microsoft.Extensions.Logging;
using WeightShare.Jobs.Events;

namespace WeightShare.Jobs.Runs;

/// <summary>Sends run events to the host's listeners; a listener that fails is logged and the run goes on.</summary>
internal sealed class RunEventSender(IRunEvents events, ILogger logger)
{
    public async Task SendAsync(Func<IRunEvents, ValueTask> send)
    {
        try
        {
            await send(events).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "A run event listener failed; the run goes on.");
        }
    }

    /// <summary>Sends on the caller's thread, for events raised inside the Engine's synchronous progress reports.</summary>
    public void Send(Func<IRunEvents, ValueTask> send) => SendAsync(send).GetAwaiter().GetResult();
}
