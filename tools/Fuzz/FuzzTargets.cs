using WeightShare.Fuzz.Targets;

namespace WeightShare.Fuzz;

/// <summary>Every harness, by the name the command line and scripts/fuzz.sh use.</summary>
internal static class FuzzTargets
{
    public static IReadOnlyList<FuzzTarget> All { get; } =
    [
        new ZipTarget(),
        new PickleTarget(),
        new PyTorchTarget(),
        new SafetensorsTarget(),
        new OnnxTarget(),
        new CheckpointTarget(),
        new IdxTarget(),
        new NpzTarget(),
        new NpyTarget(),
        new CifarTarget(),
        new SafetensorsDatasetTarget(),
        new DatasetTarget(),
        new WszTarget(),
        new CodecBlockTarget("paper"),
        new CodecBlockTarget("scalar"),
        new CodecBlockTarget("additive"),
        new RansTarget(),
        new HuffmanTarget(),
        new ContextTarget(),
    ];

    public static FuzzTarget? Find(string name) => All.FirstOrDefault(t => t.Name == name);
}
