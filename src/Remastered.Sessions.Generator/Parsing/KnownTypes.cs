using System.Linq;
using Microsoft.CodeAnalysis;

namespace Remastered.Sessions.Generator.Parsing
{
    /// <summary>
    /// The types the parser and the analyzer recognise, resolved once per compilation and compared as symbols, never as
    /// display strings. A type the compilation does not have is <see langword="null"/> and simply never matches.
    /// </summary>
    internal sealed class KnownTypes
    {
        public const string SessionAttributeMetadataName = "Remastered.Sessions.SessionAttribute`1";
        public const string SessionKeyAttributeMetadataName = "Remastered.Sessions.SessionKeyAttribute";
        public const string FlashAttributeMetadataName = "Remastered.Sessions.FlashAttribute";

        private KnownTypes(Compilation compilation)
        {
            INamedTypeSymbol? Get(string name) => compilation.GetTypeByMetadataName(name);

            SessionAttribute = Get(SessionAttributeMetadataName);
            SessionKeyAttribute = Get(SessionKeyAttributeMetadataName);
            FlashAttribute = Get(FlashAttributeMetadataName);
            JsonSessionValue = Get("Remastered.Sessions.JsonSessionValue");
            SessionStorage = Get("Remastered.Sessions.ISessionStorage`2");
            CookieSessionStorage = Get("Remastered.Sessions.CookieSessionStorage");
            AspNetCoreSessionAccessor = Get("Remastered.Sessions.AspNetCore.HttpContextSessionExtensions");

            JsonPropertyNameAttribute = Get("System.Text.Json.Serialization.JsonPropertyNameAttribute");
            JsonIgnoreAttribute = Get("System.Text.Json.Serialization.JsonIgnoreAttribute");
            JsonConstructorAttribute = Get("System.Text.Json.Serialization.JsonConstructorAttribute");
            JsonIncludeAttribute = Get("System.Text.Json.Serialization.JsonIncludeAttribute");
            JsonConverterAttribute = Get("System.Text.Json.Serialization.JsonConverterAttribute");
            JsonAttribute = Get("System.Text.Json.Serialization.JsonAttribute");
            SetsRequiredMembersAttribute = Get("System.Diagnostics.CodeAnalysis.SetsRequiredMembersAttribute");
            ExperimentalAttribute = Get("System.Diagnostics.CodeAnalysis.ExperimentalAttribute");
            JsonPropertyOrderAttribute = Get("System.Text.Json.Serialization.JsonPropertyOrderAttribute");
            JsonNumberHandlingAttribute = Get("System.Text.Json.Serialization.JsonNumberHandlingAttribute");
            JsonExtensionDataAttribute = Get("System.Text.Json.Serialization.JsonExtensionDataAttribute");
            JsonDerivedTypeAttribute = Get("System.Text.Json.Serialization.JsonDerivedTypeAttribute");
            JsonPolymorphicAttribute = Get("System.Text.Json.Serialization.JsonPolymorphicAttribute");
            JsonObjectCreationHandlingAttribute = Get("System.Text.Json.Serialization.JsonObjectCreationHandlingAttribute");
            ConverterTypes = new[]
            {
                Get("System.Half"), Get("System.Int128"), Get("System.UInt128"), Get("System.Version"),
                Get("System.Text.Json.JsonElement"), Get("System.Text.Json.JsonDocument"), Get("System.Text.Json.Nodes.JsonNode"),
                Get("System.Collections.Generic.KeyValuePair`2"), Get("System.Memory`1"), Get("System.ReadOnlyMemory`1"),
            }.Where(t => t is not null).Cast<INamedTypeSymbol>().ToArray();
            SerializationCallbacks = new[]
            {
                Get("System.Text.Json.Serialization.IJsonOnSerializing"), Get("System.Text.Json.Serialization.IJsonOnSerialized"),
                Get("System.Text.Json.Serialization.IJsonOnDeserializing"), Get("System.Text.Json.Serialization.IJsonOnDeserialized"),
            }.Where(t => t is not null).Cast<INamedTypeSymbol>().ToArray();
            Tuples = Enumerable.Range(1, 8).Select(arity => Get("System.Tuple`" + arity)).Where(t => t is not null).Cast<INamedTypeSymbol>().ToArray();
            ObsoleteAttribute = Get("System.ObsoleteAttribute");

            Guid = Get("System.Guid");
            DateTimeOffset = Get("System.DateTimeOffset");
            DateOnly = Get("System.DateOnly");
            TimeOnly = Get("System.TimeOnly");
            TimeSpan = Get("System.TimeSpan");
            Uri = Get("System.Uri");
            Stream = Get("System.IO.Stream");
            Task = Get("System.Threading.Tasks.Task");
            ValueTask = Get("System.Threading.Tasks.ValueTask");
            ValueTaskOfT = Get("System.Threading.Tasks.ValueTask`1");
            MemberInfo = Get("System.Reflection.MemberInfo");

            List = Get("System.Collections.Generic.List`1");
            IList = Get("System.Collections.Generic.IList`1");
            ICollection = Get("System.Collections.Generic.ICollection`1");
            IReadOnlyList = Get("System.Collections.Generic.IReadOnlyList`1");
            IReadOnlyCollection = Get("System.Collections.Generic.IReadOnlyCollection`1");
            HashSet = Get("System.Collections.Generic.HashSet`1");
            ISet = Get("System.Collections.Generic.ISet`1");
            IReadOnlySet = Get("System.Collections.Generic.IReadOnlySet`1");
            Dictionary = Get("System.Collections.Generic.Dictionary`2");
            IDictionary = Get("System.Collections.Generic.IDictionary`2");
            IReadOnlyDictionary = Get("System.Collections.Generic.IReadOnlyDictionary`2");
            IAsyncEnumerable = Get("System.Collections.Generic.IAsyncEnumerable`1");
            ImmutableArray = Get("System.Collections.Immutable.ImmutableArray`1");
            ImmutableList = Get("System.Collections.Immutable.ImmutableList`1");
            IImmutableList = Get("System.Collections.Immutable.IImmutableList`1");
            ImmutableHashSet = Get("System.Collections.Immutable.ImmutableHashSet`1");
            IImmutableSet = Get("System.Collections.Immutable.IImmutableSet`1");
            ImmutableDictionary = Get("System.Collections.Immutable.ImmutableDictionary`2");
            IImmutableDictionary = Get("System.Collections.Immutable.IImmutableDictionary`2");
        }

        public INamedTypeSymbol? SessionAttribute { get; }
        public INamedTypeSymbol? SessionKeyAttribute { get; }
        public INamedTypeSymbol? FlashAttribute { get; }
        public INamedTypeSymbol? JsonSessionValue { get; }
        public INamedTypeSymbol? SessionStorage { get; }
        public INamedTypeSymbol? CookieSessionStorage { get; }
        public INamedTypeSymbol? AspNetCoreSessionAccessor { get; }
        public INamedTypeSymbol? JsonPropertyNameAttribute { get; }
        public INamedTypeSymbol? JsonIgnoreAttribute { get; }
        public INamedTypeSymbol? JsonConstructorAttribute { get; }
        public INamedTypeSymbol? JsonIncludeAttribute { get; }
        public INamedTypeSymbol? JsonConverterAttribute { get; }

        /// <summary>The base of System.Text.Json's attributes (<c>[JsonPropertyName]</c>, <c>[JsonConverter]</c>, ...).</summary>
        public INamedTypeSymbol? JsonAttribute { get; }
        public INamedTypeSymbol? SetsRequiredMembersAttribute { get; }
        public INamedTypeSymbol? ExperimentalAttribute { get; }
        public INamedTypeSymbol? JsonPropertyOrderAttribute { get; }
        public INamedTypeSymbol? JsonNumberHandlingAttribute { get; }
        public INamedTypeSymbol? JsonExtensionDataAttribute { get; }
        public INamedTypeSymbol? JsonDerivedTypeAttribute { get; }
        public INamedTypeSymbol? JsonPolymorphicAttribute { get; }
        public INamedTypeSymbol? JsonObjectCreationHandlingAttribute { get; }

        /// <summary>Framework types System.Text.Json writes with a converter of its own (not as an object of their properties).</summary>
        public INamedTypeSymbol[] ConverterTypes { get; }

        /// <summary>System.Text.Json's callback interfaces (<c>IJsonOnSerializing</c> and its three kin), which it calls and generated code does not.</summary>
        public INamedTypeSymbol[] SerializationCallbacks { get; }

        /// <summary><c>System.Tuple&lt;T1&gt;</c> to <c>System.Tuple&lt;T1, ..., TRest&gt;</c>: the framework types stored as objects.</summary>
        public INamedTypeSymbol[] Tuples { get; }
        public INamedTypeSymbol? ObsoleteAttribute { get; }
        public INamedTypeSymbol? Guid { get; }
        public INamedTypeSymbol? DateTimeOffset { get; }
        public INamedTypeSymbol? DateOnly { get; }
        public INamedTypeSymbol? TimeOnly { get; }
        public INamedTypeSymbol? TimeSpan { get; }
        public INamedTypeSymbol? Uri { get; }
        public INamedTypeSymbol? Stream { get; }
        public INamedTypeSymbol? Task { get; }
        public INamedTypeSymbol? ValueTask { get; }
        public INamedTypeSymbol? ValueTaskOfT { get; }
        public INamedTypeSymbol? MemberInfo { get; }
        public INamedTypeSymbol? List { get; }
        public INamedTypeSymbol? IList { get; }
        public INamedTypeSymbol? ICollection { get; }
        public INamedTypeSymbol? IReadOnlyList { get; }
        public INamedTypeSymbol? IReadOnlyCollection { get; }
        public INamedTypeSymbol? HashSet { get; }
        public INamedTypeSymbol? ISet { get; }
        public INamedTypeSymbol? IReadOnlySet { get; }
        public INamedTypeSymbol? Dictionary { get; }
        public INamedTypeSymbol? IDictionary { get; }
        public INamedTypeSymbol? IReadOnlyDictionary { get; }
        public INamedTypeSymbol? IAsyncEnumerable { get; }
        public INamedTypeSymbol? ImmutableArray { get; }
        public INamedTypeSymbol? ImmutableList { get; }
        public INamedTypeSymbol? IImmutableList { get; }
        public INamedTypeSymbol? ImmutableHashSet { get; }
        public INamedTypeSymbol? IImmutableSet { get; }
        public INamedTypeSymbol? ImmutableDictionary { get; }
        public INamedTypeSymbol? IImmutableDictionary { get; }

        /// <summary>Whether the compilation references the runtime library (without it there is nothing to analyze).</summary>
        public bool HasRuntime => SessionAttribute is not null && SessionKeyAttribute is not null && FlashAttribute is not null && JsonSessionValue is not null && SessionStorage is not null;

        public static KnownTypes Get(Compilation compilation) => new KnownTypes(compilation);

        public static bool Is(ITypeSymbol? type, INamedTypeSymbol? known)
            => known is not null && SymbolEqualityComparer.Default.Equals(type?.OriginalDefinition, known);

        public static bool HasAttribute(ISymbol symbol, INamedTypeSymbol? attribute) => FindAttribute(symbol, attribute) is not null;

        public static AttributeData? FindAttribute(ISymbol symbol, INamedTypeSymbol? attribute)
        {
            if (attribute is null)
            {
                return null;
            }

            foreach (var candidate in symbol.GetAttributes())
            {
                if (SymbolEqualityComparer.Default.Equals(candidate.AttributeClass, attribute))
                {
                    return candidate;
                }
            }

            return null;
        }

        public static bool IsDerivedFrom(ITypeSymbol type, INamedTypeSymbol? baseType)
        {
            if (baseType is null)
            {
                return false;
            }

            for (var current = type; current is not null; current = current.BaseType)
            {
                if (SymbolEqualityComparer.Default.Equals(current.OriginalDefinition, baseType))
                {
                    return true;
                }
            }

            return false;
        }
    }
}
