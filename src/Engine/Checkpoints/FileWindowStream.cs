namespace WeightShare.Engine.Checkpoints;

/// <summary>
/// A read-only, seekable view of the bytes [start, start + length) of another stream, so a parser that reads ahead
/// (such as a CodedInputStream) sees the end of one protobuf message as the end of its input. Seeking past the end
/// stops at the end, so a skip beyond the window shows up as a short skip rather than as a read of other bytes.
/// </summary>
internal sealed class FileWindowStream(Stream inner, long start, long length) : Stream
{
    private long _position;

    public long Start => start;

    public override bool CanRead => true;

    public override bool CanSeek => true;

    public override bool CanWrite => false;

    public override long Length => length;

    public override long Position
    {
        get => _position;
        set => _position = Math.Clamp(value, 0, length);
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        int wanted = (int)Math.Min(buffer.Length, length - _position);
        if (wanted <= 0)
        {
            return 0;
        }

        inner.Position = start + _position;
        int read = inner.Read(buffer[..wanted]);
        _position += read;
        return read;
    }

    public override long Seek(long offset, SeekOrigin origin)
    {
        Position = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => _position + offset,
            _ => length + offset,
        };
        return _position;
    }

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
