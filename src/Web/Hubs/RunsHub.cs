using Microsoft.AspNetCore.SignalR;

namespace WeightShare.Web.Hubs;

/// <summary>
/// /hubs/runs (api.md): listeners outside the pages join a run's group and receive its Generation, Status and Merge
/// messages (and Progress ticks).
/// </summary>
public sealed class RunsHub : Hub
{
    public Task JoinRun(string runId) => Groups.AddToGroupAsync(Context.ConnectionId, GroupOf(runId));

    public Task LeaveRun(string runId) => Groups.RemoveFromGroupAsync(Context.ConnectionId, GroupOf(runId));

    public static string GroupOf(string runId) => "run:" + runId;
}
