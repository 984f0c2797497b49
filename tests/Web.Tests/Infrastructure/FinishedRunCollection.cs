namespace WeightShare.Web.Tests.Infrastructure;

/// <summary>The classes that read the one finished run share it, and so run one after another.</summary>
[CollectionDefinition(Name)]
public sealed class FinishedRunCollection : ICollectionFixture<FinishedRunFixture>
{
    public const string Name = "Finished run";
}
