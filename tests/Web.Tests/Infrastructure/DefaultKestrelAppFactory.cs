namespace WeightShare.Web.Tests.Infrastructure;

/// <summary>A host on Kestrel with every setting at its default: real sockets, so a queued upload's body is held back by the connection.</summary>
public sealed class DefaultKestrelAppFactory() : KestrelAppFactory(new Dictionary<string, string?>());
