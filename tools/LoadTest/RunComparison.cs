namespace WeightShare.LoadTest;

/// <summary>One plan's run under load against the same plan run alone on the idle server, and whether their fronts agree.</summary>
public sealed record RunComparison(string Plan, RunFront Alone, RunFront UnderLoad, bool FinishedWithinLoad)
{
    public bool SameFront => Alone.SameAs(UnderLoad);

    public bool Held => Alone.Status == "Succeeded" && UnderLoad.Status == "Succeeded" && SameFront;
}
