using System.ComponentModel;
using System.Diagnostics.CodeAnalysis;

namespace Remastered.Sessions.Schemas.Support;

/// <summary>
/// Reads a value from the compact JSON that session writers produce, without exceptions; generated session schemas emit
/// one per value type and fall back to their <see cref="JsonReadFunc{T}"/> when it returns <see langword="false"/>.
/// </summary>
/// <typeparam name="T">The value's type.</typeparam>
/// <param name="reader">The reader, at the value's first byte.</param>
/// <param name="value">The value read, when the function returns <see langword="true"/>.</param>
/// <returns>Whether the value had exactly the expected compact form and was read.</returns>
[EditorBrowsable(EditorBrowsableState.Never)]
public delegate bool CompactJsonReadFunc<T>(ref CompactJsonReader reader, [MaybeNullWhen(false)] out T value);
