using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Serialization.Metadata;

namespace Remastered.Sessions;

/// <summary>
/// Typed reads and writes on JSON session stores without the source generator, through System.Text.Json metadata
/// (a <see cref="JsonTypeInfo{T}"/> from a <c>JsonSerializerContext</c>, so it stays trim- and AOT-safe).
/// </summary>
/// <example>
/// <code>
/// [JsonSerializable(typeof(Cart))] partial class AppJson : JsonSerializerContext;
/// store.Set("cart", cart, AppJson.Default.Cart);
/// if (store.TryGet("cart", AppJson.Default.Cart, out var saved)) { ... }
/// </code>
/// </example>
public static class JsonSessionStoreExtensions
{
    /// <summary>
    /// Reads <paramref name="key"/> as a <typeparamref name="T"/>. A value that is absent or no longer parses as
    /// <typeparamref name="T"/> (a deploy changed the type) reads as absent and stays stored untouched.
    /// </summary>
    /// <typeparam name="T">The type to read.</typeparam>
    /// <param name="store">The store.</param>
    /// <param name="key">The key.</param>
    /// <param name="typeInfo">How to read <typeparamref name="T"/>.</param>
    /// <param name="value">The value read, or <see langword="default"/>.</param>
    /// <returns>Whether a value of the requested type was read.</returns>
    public static bool TryGet<T>(this SessionStore<JsonSessionValue> store, string key, JsonTypeInfo<T> typeInfo, [MaybeNullWhen(false)] out T value)
    {
        ArgumentNullException.ThrowIfNull(store);
        value = default;
        if (!store.TryGet(key, out var json))
        {
            return false;
        }

        if (json.TryDeserialize(typeInfo, out value))
        {
            return true;
        }

        store.ReportUnreadableValue(key, typeof(T));
        return false;
    }

    /// <summary>Reads <paramref name="key"/> as a <typeparamref name="T"/>, or <see langword="default"/> (see <see cref="TryGet{T}"/>).</summary>
    /// <typeparam name="T">The type to read.</typeparam>
    /// <param name="store">The store.</param>
    /// <param name="key">The key.</param>
    /// <param name="typeInfo">How to read <typeparamref name="T"/>.</param>
    public static T? Get<T>(this SessionStore<JsonSessionValue> store, string key, JsonTypeInfo<T> typeInfo)
        => store.TryGet(key, typeInfo, out var value) ? value : default;

    /// <summary>Sets <paramref name="key"/> to <paramref name="value"/> serialized as JSON.</summary>
    /// <typeparam name="T">The value's type.</typeparam>
    /// <param name="store">The store.</param>
    /// <param name="key">The key.</param>
    /// <param name="value">The value.</param>
    /// <param name="typeInfo">How to write <typeparamref name="T"/>.</param>
    public static void Set<T>(this SessionStore<JsonSessionValue> store, string key, T value, JsonTypeInfo<T> typeInfo)
    {
        ArgumentNullException.ThrowIfNull(store);
        store.Set(key, JsonSessionValue.Create(value, typeInfo));
    }

    /// <summary>Flashes <paramref name="key"/> with <paramref name="value"/> serialized as JSON.</summary>
    /// <typeparam name="T">The value's type.</typeparam>
    /// <param name="store">The store.</param>
    /// <param name="key">The key.</param>
    /// <param name="value">The value.</param>
    /// <param name="typeInfo">How to write <typeparamref name="T"/>.</param>
    public static void Flash<T>(this SessionStore<JsonSessionValue> store, string key, T value, JsonTypeInfo<T> typeInfo)
    {
        ArgumentNullException.ThrowIfNull(store);
        store.Flash(key, JsonSessionValue.Create(value, typeInfo));
    }
}
