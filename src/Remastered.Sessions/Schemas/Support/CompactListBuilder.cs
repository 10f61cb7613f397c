using System.Buffers;
using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Remastered.Sessions.Schemas.Support;

/// <summary>
/// Collects the items of a JSON array read by a generated fast path, then builds the collection at its exact size: no
/// intermediate growth of a <see cref="List{T}"/> (for a 10-item list, three arrays fewer).
/// </summary>
/// <typeparam name="T">The item type.</typeparam>
/// <remarks>
/// <para>A mutable struct for generated code: keep it in a local and call <see cref="Dispose"/> in a <c>finally</c>.</para>
/// <para>
/// The first 16 items stay inside the struct (on the caller's stack), so a session-sized array costs no pool rental and
/// its stores need neither the covariance check of an array store nor the card marking of a store into a pooled (old)
/// array; longer arrays continue in a pooled buffer.
/// </para>
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public struct CompactListBuilder<T> : IDisposable
{
    private const int InlineCapacity = 16;
    private InlineItems _inline;
    private T[]? _buffer;
    private int _count;

    /// <summary>The number of items added.</summary>
    public readonly int Count => _count;

    /// <summary>Adds an item.</summary>
    /// <param name="item">The item.</param>
    public void Add(T item)
    {
        if (_buffer is null)
        {
            if (_count < InlineCapacity)
            {
                _inline[_count++] = item;
                return;
            }

            Spill();
        }
        else if (_count == _buffer.Length)
        {
            Grow();
        }

        // The buffer is exactly a T[] (rented from ArrayPool<T>): no covariance check is needed for the store.
        Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_buffer!), _count++) = item;
    }

    /// <summary>The items as a list of exactly their number.</summary>
    public readonly List<T> ToList()
    {
        var list = new List<T>(_count);
        if (_count > 0)
        {
            CollectionsMarshal.SetCount(list, _count);
            CopyTo(CollectionsMarshal.AsSpan(list));
        }

        return list;
    }

    /// <summary>The items as an array.</summary>
    public readonly T[] ToArray()
    {
        if (_count == 0)
        {
            return [];
        }

        var array = new T[_count];
        CopyTo(array);
        return array;
    }

    /// <summary>The items as a set.</summary>
    public readonly HashSet<T> ToHashSet()
    {
        var set = new HashSet<T>(_count);
        for (var i = 0; i < _count; i++)
        {
            set.Add(_buffer is null ? _inline[i] : _buffer[i]);
        }

        return set;
    }

    /// <summary>Returns the pooled buffer, if any, to the pool, cleared when it held references.</summary>
    public void Dispose()
    {
        if (_buffer is not null)
        {
            ArrayPool<T>.Shared.Return(_buffer, clearArray: RuntimeHelpers.IsReferenceOrContainsReferences<T>());
            _buffer = null;
        }

        _count = 0;
    }

    /// <summary>Copies the items added, wherever they are, to <paramref name="destination"/>.</summary>
    private readonly void CopyTo(Span<T> destination)
    {
        if (_buffer is null)
        {
            ((ReadOnlySpan<T>)_inline)[.._count].CopyTo(destination);
        }
        else
        {
            _buffer.AsSpan(0, _count).CopyTo(destination);
        }
    }

    /// <summary>Moves the inline items to a pooled buffer twice their number.</summary>
    private void Spill()
    {
        var next = ArrayPool<T>.Shared.Rent(InlineCapacity * 2);
        ((ReadOnlySpan<T>)_inline).CopyTo(next);
        ((Span<T>)_inline).Clear();
        _buffer = next;
    }

    private void Grow()
    {
        var next = ArrayPool<T>.Shared.Rent(_buffer!.Length * 2);
        _buffer.AsSpan(0, _count).CopyTo(next);
        ArrayPool<T>.Shared.Return(_buffer, clearArray: RuntimeHelpers.IsReferenceOrContainsReferences<T>());
        _buffer = next;
    }

    [InlineArray(InlineCapacity)]
    private struct InlineItems
    {
        private T _first;
    }
}
