using System.IO.Compression;
using System.Text;

namespace WeightShare.Tests.Support;

/// <summary>numpy .npy arrays and .npz archives written byte by byte, for datasets no fixture holds (hostile or odd ones).</summary>
public static class NpzFiles
{
    /// <summary>A version 1.0 .npy file: magic, the header dictionary padded to 128 bytes, then <paramref name="data"/>.</summary>
    public static byte[] Npy(string header, byte[] data)
    {
        var text = header.PadRight(118) + "\n";
        var bytes = new List<byte> { 0x93 };
        bytes.AddRange("NUMPY"u8.ToArray());
        bytes.AddRange(new byte[] { 1, 0, (byte)text.Length, 0 });
        bytes.AddRange(Encoding.ASCII.GetBytes(text));
        bytes.AddRange(data);
        return bytes.ToArray();
    }

    /// <summary>A zip of the members, as numpy.savez writes it.</summary>
    public static byte[] Npz(params (string Name, byte[] Data)[] members)
    {
        using var output = new MemoryStream();
        using (var archive = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, data) in members)
            {
                using var stream = archive.CreateEntry(name).Open();
                stream.Write(data);
            }
        }
        return output.ToArray();
    }

    /// <summary>A dataset of float32 feature vectors x of shape (N, F) and int64 labels y.</summary>
    public static byte[] Features(float[] x, int features, long[] y)
    {
        var xBytes = new byte[x.Length * 4];
        Buffer.BlockCopy(x, 0, xBytes, 0, xBytes.Length);
        var yBytes = new byte[y.Length * 8];
        Buffer.BlockCopy(y, 0, yBytes, 0, yBytes.Length);
        return Npz(
            ("x.npy", Npy($"{{'descr': '<f4', 'fortran_order': False, 'shape': ({x.Length / features}, {features}), }}", xBytes)),
            ("y.npy", Npy($"{{'descr': '<i8', 'fortran_order': False, 'shape': ({y.Length},), }}", yBytes)));
    }
}
