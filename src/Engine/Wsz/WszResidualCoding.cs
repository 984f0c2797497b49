namespace WeightShare.Engine.Wsz;

/// <summary>How a .wsz file codes its residual (the original file's bytes outside the shared tensors).</summary>
public enum WszResidualCoding
{
    /// <summary>Raw DEFLATE (RFC 1951); the only coding of version 1.</summary>
    Deflate = 0,

    /// <summary>Brotli (RFC 7932) at its highest quality: smaller for the code and tables a TorchScript file holds.</summary>
    Brotli = 1,
}
