using System.Buffers.Binary;

namespace WeightShare.Engine.Codecs;

/// <summary>Floats as base64 of little-endian float32, the form refinement records keep them in.</summary>
internal static class FloatText
{
    public static string Pack(ReadOnlySpan<float> values)
    {
        var bytes = new byte[values.Length * 4];
        for (var i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(4 * i), values[i]);
        }
        return Convert.ToBase64String(bytes);
    }

    /// <exception cref="FormatException">The text is not base64.</exception>
    public static float[] Unpack(string text)
    {
        var bytes = Convert.FromBase64String(text);
        var values = new float[bytes.Length / 4];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(4 * i));
        }
        return values;
    }

    /// <summary>Named float arrays (a refinement's small parameters) as a JSON object of packed strings.</summary>
    public static Dictionary<string, string> PackAll(IReadOnlyDictionary<string, float[]> values) =>
        values.ToDictionary(p => p.Key, p => Pack(p.Value), StringComparer.Ordinal);

    /// <summary>The named float arrays <see cref="PackAll"/> wrote.</summary>
    /// <exception cref="FormatException">A value is not base64.</exception>
    /// <exception cref="InvalidOperationException">The element is not an object of strings.</exception>
    public static Dictionary<string, float[]> UnpackAll(System.Text.Json.JsonElement packed) =>
        packed.EnumerateObject().ToDictionary(p => p.Name, p => Unpack(p.Value.GetString()!), StringComparer.Ordinal);
}
