using WeightShare.Engine.Codecs.Paper;

namespace WeightShare.Engine.Codecs;

/// <summary>
/// The codecs a host knows, by id. Each use gets a fresh instance, so a codec may keep per-run state. Adding a codec
/// is one class and one <see cref="Register"/> line.
/// </summary>
public sealed class CodecRegistry
{
    private readonly Dictionary<string, Func<WeightCodec>> _factories = new(StringComparer.Ordinal);

    /// <summary>The codecs the product ships: the paper's uniform bins, the byte-targeting scalar codec and additive quantization.</summary>
    public static CodecRegistry Default { get; } = CreateDefault();

    /// <summary>The ids of the registered codecs, in registration order.</summary>
    public IReadOnlyList<string> Ids => [.. _factories.Keys];

    /// <summary>A new registry holding the product's codecs, to which a host may add its own.</summary>
    public static CodecRegistry CreateDefault() => new CodecRegistry()
        .Register(() => new PaperCodec())
        .Register(() => new Scalar.ScalarCodec())
        .Register(() => new Additive.AdditiveCodec());

    /// <summary>Adds a codec; its id is read from one instance.</summary>
    /// <exception cref="ArgumentException">The id is malformed or already registered.</exception>
    public CodecRegistry Register(Func<WeightCodec> factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        var id = factory().Id;
        if (!IsValidId(id))
        {
            throw new ArgumentException($"Codec id '{id}' is not 1 to 32 characters of a-z, 0-9 and '-'.", nameof(factory));
        }
        if (!_factories.TryAdd(id, factory))
        {
            throw new ArgumentException($"A codec with id '{id}' is already registered.", nameof(factory));
        }
        return this;
    }

    /// <summary>True when <paramref name="id"/> names a registered codec.</summary>
    public bool Contains(string id) => _factories.ContainsKey(id);

    /// <summary>A fresh instance of the codec <paramref name="id"/>.</summary>
    /// <exception cref="InvalidInputException">No codec has that id; the message lists the ones there are.</exception>
    public WeightCodec Create(string id) =>
        _factories.TryGetValue(id, out var factory)
            ? factory()
            : throw new InvalidInputException($"codec '{id}' is not one of: {string.Join(", ", _factories.Keys)}.");

    /// <summary>What codec <paramref name="id"/> calls a refined solution ("merged", "calibrated"); "refined" for a codec not registered here.</summary>
    public string RefinementLabel(string id) => Contains(id) ? Create(id).RefinementLabel : "refined";

    /// <summary>Whether <paramref name="id"/> has the form codec ids take.</summary>
    public static bool IsValidId(string id) =>
        id is { Length: > 0 and <= 32 } && id.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-');
}
