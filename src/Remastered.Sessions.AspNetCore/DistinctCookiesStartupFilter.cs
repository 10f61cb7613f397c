using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Options;

namespace Remastered.Sessions.AspNetCore;

/// <summary>
/// Stops the application at start-up when two session schemas would write the same cookie (or read the same header):
/// each would overwrite the other's session on every response; or when a header-mode schema seals its tokens as
/// another schema does (the same cookie name, kind of storage and purpose, with secrets that may be shared): a token
/// one schema issued would open as the other's session.
/// </summary>
internal sealed class DistinctCookiesStartupFilter(IServiceProvider services, IEnumerable<SessionRegistration> registrations, IOptionsMonitor<RemasteredSessionOptions> options) : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next)
    {
        var seen = new Dictionary<string, Type>(StringComparer.Ordinal);
        var sealers = new List<Sealing>();
        foreach (var registration in registrations)
        {
            var settings = options.Get(registration.OptionsName);
            var storage = registration.Storage(services);
            var cookieName = StorageUnwrapping.CookieName(storage) ?? settings.Cookie.Name;
            var header = settings.Transport == SessionTransport.Header;
            if (header)
            {
                // Header names are case-insensitive; the token comes in one header and goes out in another (the same
                // one unless set apart), and two schemas sharing either would lose one session's token.
                Claim("request header " + settings.HeaderName.ToLowerInvariant(), registration, "its own header (options.HeaderName)");
                Claim("response header " + settings.EffectiveResponseHeaderName.ToLowerInvariant(), registration, "its own response header (options.ResponseHeaderName)");
            }
            else
            {
                Claim("cookie " + cookieName, registration, "its own cookie name (options.Cookie.Name, or the Cookie.Name of its storage's options)");
            }

            // A header-mode token is the cookie's value carried in a header: sealed under the cookie name, the kind of
            // storage and the purpose, like the cookie itself. Two cookie-mode schemas never reach this check with
            // one name (the claim above stops them first).
            var sealing = SealingOf(registration, settings, storage, cookieName, header);
            foreach (var other in sealers)
            {
                if ((other.Header || header) && other.CouldOpen(sealing))
                {
                    throw new InvalidOperationException(
                        $"The session schemas {other.Schema.Name} and {registration.Schema.Name} both seal their tokens under the cookie name {cookieName} for the same kind of storage"
                        + " (a header-mode token is the cookie's value, carried in a header), so a token issued to one could open as the other's session."
                        + " Give each schema its own cookie name (options.Cookie.Name, or the Cookie.Name of its storage's options) or its own Cookie.Purpose.");
                }
            }

            sealers.Add(sealing);
        }

        return next;

        void Claim(string name, SessionRegistration registration, string fix)
        {
            if (seen.TryGetValue(name, out var other))
            {
                throw new InvalidOperationException(
                    $"The session schemas {other.Name} and {registration.Schema.Name} both use the {name}, so each would overwrite the other's session. Give each schema {fix}.");
            }

            seen[name] = registration.Schema;
        }
    }

    private static Sealing SealingOf(SessionRegistration registration, RemasteredSessionOptions settings, object? storage, string cookieName, bool header)
    {
        var cookieStorage = storage switch
        {
            CookieSessionStorage cookie => cookie,
            JsonSessionStorage { Inner: CookieSessionStorage inner } => inner,
            _ => null,
        };

        // The kind of storage is part of what a value is sealed under (a server-side id never opens as a cookie
        // session). A storage of the application's own (a decorator around one of ours, say) is of an unknown kind,
        // assumed to seal as any other.
        var unwrapped = storage is JsonSessionStorage json ? json.Inner : storage;
        var kind = StorageUnwrapping.ServerStorage(storage) is not null ? "server-session-id"
            : cookieStorage is not null ? "session-body"
            : unwrapped is not null && unwrapped.GetType().IsGenericType && unwrapped.GetType().GetGenericTypeDefinition() == typeof(EncryptedCookieStorage<,>) ? "wrapped-storage"
            : null;

        // The purpose and the secrets are known for storages the integration builds from the options (and the purpose
        // for any cookie storage); for one from dependency injection or a factory they are unknown, so assumed shared.
        var known = registration.BuildsStorageFromOptions && !settings.UseDataProtection && !settings.Cookie.HasCustomProtector;
        var purpose = cookieStorage is not null ? cookieStorage.Options.Purpose : registration.BuildsStorageFromOptions ? settings.Cookie.Purpose : null;
        var purposeKnown = cookieStorage is not null || registration.BuildsStorageFromOptions;
        return new Sealing(registration.Schema, header, cookieName, kind, purposeKnown, purpose, known ? [.. settings.Cookie.Secrets ?? []] : null);
    }

    private sealed record Sealing(Type Schema, bool Header, string CookieName, string? Kind, bool PurposeKnown, string? Purpose, string[]? Secrets)
    {
        public bool CouldOpen(Sealing other)
            => CookieName == other.CookieName
                && (Kind is null || other.Kind is null || Kind == other.Kind)
                && (!PurposeKnown || !other.PurposeKnown || Purpose == other.Purpose)
                && (Secrets is null || other.Secrets is null || Secrets.Intersect(other.Secrets, StringComparer.Ordinal).Any());
    }
}
