using System.Buffers.Binary;
using System.Text;

namespace WeightShare.Engine.Tests;

/// <summary>The build's GLIBCXX_3.4.32 fix (build/LibTorchSharpGlibcxx.targets) as it lands in this test's own output.</summary>
public class TorchNativeLoadingTests
{
    private const string Version = "GLIBCXX_3.4.32";

    [Fact]
    public void OutputCopy_IsWeakExactlyWhenTheSystemLibstdcxxLacksTheVersion()
    {
        var output = Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        var system = new[] { "/lib/x86_64-linux-gnu/libstdc++.so.6", "/usr/lib/x86_64-linux-gnu/libstdc++.so.6" }.First(File.Exists);
        var systemHasVersion = Encoding.ASCII.GetString(File.ReadAllBytes(system)).Contains(Version + "\0");

        Assert.Equal(!systemHasVersion, IsWeak(File.ReadAllBytes(output)));
    }

    [Fact]
    public void NuGetCacheCopy_IsNeverChanged()
    {
        var home = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        var cached = Path.Combine(home, "torchsharp", "0.107.0", "runtimes", "linux-x64", "native", "libLibTorchSharp.so");

        Assert.False(IsWeak(File.ReadAllBytes(cached)));
    }

    // Walks .gnu.version_r (ELF64, little-endian) to the need entry named Version and reads its VER_FLG_WEAK bit.
    private static bool IsWeak(byte[] elf)
    {
        var sections = (int)BinaryPrimitives.ReadUInt64LittleEndian(elf.AsSpan(0x28));
        int size = BinaryPrimitives.ReadUInt16LittleEndian(elf.AsSpan(0x3A));
        int count = BinaryPrimitives.ReadUInt16LittleEndian(elf.AsSpan(0x3C));
        for (var i = 0; i < count; i++)
        {
            var header = sections + i * size;
            if (BinaryPrimitives.ReadUInt32LittleEndian(elf.AsSpan(header + 4)) != 0x6ffffffe)
            {
                continue;
            }
            var offset = (int)BinaryPrimitives.ReadUInt64LittleEndian(elf.AsSpan(header + 0x18));
            var link = (int)BinaryPrimitives.ReadUInt32LittleEndian(elf.AsSpan(header + 0x28));
            var strings = (int)BinaryPrimitives.ReadUInt64LittleEndian(elf.AsSpan(sections + link * size + 0x18));
            var need = offset;
            for (var n = 0; n < (int)BinaryPrimitives.ReadUInt32LittleEndian(elf.AsSpan(header + 0x2C)); n++)
            {
                var aux = need + (int)BinaryPrimitives.ReadUInt32LittleEndian(elf.AsSpan(need + 8));
                for (var a = 0; a < BinaryPrimitives.ReadUInt16LittleEndian(elf.AsSpan(need + 2)); a++)
                {
                    var name = strings + (int)BinaryPrimitives.ReadUInt32LittleEndian(elf.AsSpan(aux + 8));
                    var end = Array.IndexOf(elf, (byte)0, name);
                    if (Encoding.ASCII.GetString(elf, name, end - name) == Version)
                    {
                        return (BinaryPrimitives.ReadUInt16LittleEndian(elf.AsSpan(aux + 4)) & 0x2) != 0;
                    }
                    aux += (int)BinaryPrimitives.ReadUInt32LittleEndian(elf.AsSpan(aux + 12));
                }
                need += (int)BinaryPrimitives.ReadUInt32LittleEndian(elf.AsSpan(need + 12));
            }
        }
        throw new InvalidOperationException($"The library has no {Version} need at all.");
    }
}
