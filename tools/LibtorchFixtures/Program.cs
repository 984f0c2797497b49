using TorchSharp;

// Makes the committed fixtures written by libtorch 2.10 (the product's TorchSharp 0.107 and libtorch-cpu 2.10), since
// users' files come from PyTorch 2.x while make_fixtures.py runs Debian's torch 1.13. Writes, under tests/fixtures/out/:
//   fmnist_cnn_libtorch210.pt   torch.jit.load of fmnist_cnn.pt, then torch.jit.save: the same CNN in libtorch 2.10's
//                               TorchScript archive layout
// No state_dict is made: TorchSharp 0.107 binds no torch::pickle_save, so nothing in it writes the torch.save zip
// pickle. Its torch.save(Tensor) writes a C++ OutputArchive (a TorchScript archive) and Module.save its own format.
// Run: dotnet run --project tools/LibtorchFixtures [-- OUT_DIR]   (a few seconds; needs fmnist_cnn.pt in OUT_DIR)
var output = args.Length > 0 ? args[0] : Path.Combine(FindRepository(), "tests", "fixtures", "out");
var source = Path.Combine(output, "fmnist_cnn.pt");
var target = Path.Combine(output, "fmnist_cnn_libtorch210.pt");

using (var module = torch.jit.load(source))
{
    torch.jit.save(module, target);
}

Console.WriteLine($"Wrote {target} ({new FileInfo(target).Length} bytes) with libtorch {torch.__version__}");
return 0;

static string FindRepository()
{
    for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
    {
        if (File.Exists(Path.Combine(directory.FullName, "WeightShareWeb.sln")))
        {
            return directory.FullName;
        }
    }

    throw new DirectoryNotFoundException("WeightShareWeb.sln not found above the tool's directory; pass the output folder.");
}
