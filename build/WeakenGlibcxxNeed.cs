using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

// Marks one GLIBCXX version need of an ELF64 shared library weak when the system libstdc++ does not
// define that version. Idempotent; leaves the file alone on systems that need no fix.
public sealed class WeakenGlibcxxNeed : Task
{
    private const uint ShtGnuVerneed = 0x6ffffffe;
    private const ushort VerFlagWeak = 0x2;

    [Required] public string Library { get; set; } = "";
    [Required] public string Version { get; set; } = "";

    public override bool Execute()
    {
        var systemLibrary = FindSystemLibstdcxx();
        if (systemLibrary != null && Contains(File.ReadAllBytes(systemLibrary), Encoding.ASCII.GetBytes(Version + "\0")))
        {
            Log.LogMessage(MessageImportance.Low, "{0} defines {1}; {2} needs no change.", systemLibrary, Version, Library);
            return true;
        }

        var bytes = File.ReadAllBytes(Library);
        var changed = Weaken(bytes, out var found);
        if (!found)
        {
            Log.LogMessage(MessageImportance.Low, "{0} does not need {1}.", Library, Version);
            return true;
        }
        if (!changed)
        {
            return true;
        }

        var stamp = File.GetLastWriteTimeUtc(Library);
        var temporary = Library + ".weak-tmp";
        File.WriteAllBytes(temporary, bytes);
        // Replace the directory entry rather than writing through it, so a hard link into the NuGet cache stays intact.
        File.Delete(Library);
        File.Move(temporary, Library);
        File.SetLastWriteTimeUtc(Library, stamp);
        Log.LogMessage(MessageImportance.High, "Marked the {0} need of {1} weak: {2} lacks it.", Version, Library, systemLibrary ?? "no libstdc++.so.6 found");
        return true;
    }

    private bool Weaken(byte[] elf, out bool found)
    {
        found = false;
        if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[2] != (byte)'L' || elf[3] != (byte)'F' || elf[4] != 2 || elf[5] != 1)
        {
            Log.LogWarning("{0} is not a little-endian ELF64 file; left as it is.", Library);
            return false;
        }

                var sectionTable = checked((int)U64(elf, 0x28));
        int entrySize = U16(elf, 0x3A);
        int count = U16(elf, 0x3C);
        for (var i = 0; i < count; i++)
        {
            var header = sectionTable + i * entrySize;
            if (U32(elf, header + 4) != ShtGnuVerneed)
            {
                continue;
            }

            var offset = checked((int)U64(elf, header + 0x18));
            var link = (int)U32(elf, header + 0x28);
            var entries = (int)U32(elf, header + 0x2C);
            var strings = sectionTable + link * entrySize;
            var stringTable = checked((int)U64(elf, strings + 0x18));

            var changed = false;
            var need = offset;
            for (var n = 0; n < entries; n++)
            {
                int auxCount = U16(elf, need + 2);
                var aux = need + (int)U32(elf, need + 8);
                for (var a = 0; a < auxCount; a++)
                {
                    var name = ReadString(elf, stringTable + (int)U32(elf, aux + 8));
                    if (name == Version)
                    {
                        found = true;
                        var flags = U16(elf, aux + 4);
                        if ((flags & VerFlagWeak) == 0)
                        {
                            elf[aux + 4] = (byte)((flags | VerFlagWeak) & 0xff);
                            elf[aux + 5] = (byte)((flags | VerFlagWeak) >> 8);
                            changed = true;
                        }
                    }
                    aux += (int)U32(elf, aux + 12);
                }
                need += (int)U32(elf, need + 12);
            }
            return changed;
        }
        return false;
    }

    private static ushort U16(byte[] b, int at) => (ushort)(b[at] | b[at + 1] << 8);

    private static uint U32(byte[] b, int at) => (uint)(b[at] | b[at + 1] << 8 | b[at + 2] << 16 | b[at + 3] << 24);

    private static ulong U64(byte[] b, int at) => U32(b, at) | (ulong)U32(b, at + 4) << 32;

    private static string ReadString(byte[] bytes, int start)
    {
        var end = Array.IndexOf(bytes, (byte)0, start);
        return Encoding.ASCII.GetString(bytes, start, end - start);
    }

    private static bool Contains(byte[] haystack, byte[] needle)
    {
        for (var i = Array.IndexOf(haystack, needle[0]); i >= 0 && i <= haystack.Length - needle.Length; i = Array.IndexOf(haystack, needle[0], i + 1))
        {
            var j = 1;
            while (j < needle.Length && haystack[i + j] == needle[j])
            {
                j++;
            }
            if (j == needle.Length)
            {
                return true;
            }
        }
        return false;
    }

    // The libstdc++ the dynamic loader would pick: ldconfig's cache first, then the usual directories.
    private static string FindSystemLibstdcxx()
    {
        try
        {
            var info = new ProcessStartInfo(File.Exists("/sbin/ldconfig") ? "/sbin/ldconfig" : "ldconfig", "-p")
            {
                RedirectStandardOutput = true,
                UseShellExecute = false,
            };
            using var process = Process.Start(info);
            if (process != null)
            {
                var output = process.StandardOutput.ReadToEnd();
                process.WaitForExit();
                var line = output.Split('\n').FirstOrDefault(l => l.TrimStart().StartsWith("libstdc++.so.6 ", StringComparison.Ordinal) && l.Contains("x86-64"));
                var path = line?.Split(new[] { "=>" }, StringSplitOptions.None).Last().Trim();
                if (path != null && File.Exists(path))
                {
                    return path;
                }
            }
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // No ldconfig on this machine: fall back to the usual directories.
        }

        return new[] { "/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/lib/x86_64-linux-gnu/libstdc++.so.6", "/usr/lib64/libstdc++.so.6", "/usr/lib/libstdc++.so.6" }
            .FirstOrDefault(File.Exists);
    }
}
