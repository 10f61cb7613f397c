using System.Buffers;

namespace Remastered.Sessions.Internal;

/// <summary>
/// A buffer writer for one write of known size (a decryption): allocates exactly what the writer asks for, so the
/// result can be kept without copying.
/// </summary>
internal sealed class ExactBufferWriter : IBufferWriter<byte>
{
    private byte[] _buffer = [];
    private int _written;

    public ReadOnlyMemory<byte> WrittenMemory => _buffer.AsMemory(0, _written);

    public void Advance(int count) => _written += count;

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buffer.AsMemory(_written);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buffer.AsSpan(_written);
    }

    private void Ensure(int sizeHint)
    {
        var needed = _written + Math.Max(sizeHint, 1);
        if (needed > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(needed, _buffer.Length * 2));
        }
    }
}
