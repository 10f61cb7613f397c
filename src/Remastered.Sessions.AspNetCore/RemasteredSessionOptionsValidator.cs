using Microsoft.Extensions.Options;

namespace Remastered.Sessions.AspNetCore;

/// <summary>Validates <see cref="RemasteredSessionOptions"/> at start-up, naming the first invalid setting.</summary>
internal sealed class RemasteredSessionOptionsValidator : IValidateOptions<RemasteredSessionOptions>
{
    public ValidateOptionsResult Validate(string? name, RemasteredSessionOptions options)
    {
        var failures = new List<string>();
        if (options.Cookie is null)
        {
            return ValidateOptionsResult.Fail("Sessions: Cookie options are required.");
        }

        try
        {
            var cookie = options.Cookie;
            if (options.UseDataProtection && !cookie.HasCustomProtector)
            {
                // The Data Protection protector is attached when the storage is built; validate everything else now.
                cookie = new CookieSessionOptions
                {
                    Name = cookie.Name, Path = cookie.Path, Domain = cookie.Domain, HttpOnly = cookie.HttpOnly, Secure = cookie.Secure,
                    SameSite = cookie.SameSite, MaxAge = cookie.MaxAge, MaxCookieSize = cookie.MaxCookieSize,
                }.UseProtector(DataProtectionPlaceholder.Instance);
            }

            cookie.Validate();
        }
        catch (ArgumentException exception)
        {
            failures.Add("Sessions:Cookie: " + exception.Message);
        }

        if (options.Transport == SessionTransport.Header && string.IsNullOrWhiteSpace(options.HeaderName))
        {
            failures.Add("Sessions:HeaderName is required in header mode.");
        }

        if (options.IdleTimeout <= TimeSpan.Zero)
        {
            failures.Add($"Sessions:IdleTimeout must be positive; it was {options.IdleTimeout}.");
        }

        if (options.AbsoluteLifetime <= TimeSpan.Zero)
        {
            failures.Add($"Sessions:AbsoluteLifetime must be positive; it was {options.AbsoluteLifetime}.");
        }

        if (options.MaxSessions < 1)
        {
            failures.Add($"Sessions:MaxSessions must be at least 1; it was {options.MaxSessions}.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private sealed class DataProtectionPlaceholder : SessionCookieProtector
    {
        public static readonly DataProtectionPlaceholder Instance = new();

        public override string Protect(string cookieName, ReadOnlySpan<byte> plaintext) => throw new NotSupportedException();

        public override bool TryUnprotect(string cookieName, ReadOnlySpan<char> cookieValue, System.Buffers.IBufferWriter<byte> plaintext, out bool usedRetiredKey, out CookieRejectionReason reason)
            => throw new NotSupportedException();
    }
}
