using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Remastered.Sessions.AspNetCore;

/// <summary>
/// The development session inspector: the calling request's own sessions (one per registered schema), read through
/// the same middleware state the app uses, never committed. It has no way to name another session: it only ever
/// decrypts the cookie (or header) the caller sent.
/// </summary>
internal sealed class SessionInspectorEndpoint(IServiceProvider services)
{
    /// <summary>What browsers accept for one cookie (name, value and attributes), RFC 6265's recommended minimum.</summary>
    internal const int BrowserCookieBudget = 4096;

    private readonly SessionRegistration[] _registrations = services.GetServices<SessionRegistration>().DistinctBy(r => r.Schema).ToArray();
    private readonly IOptionsMonitor<RemasteredSessionOptions> _options = services.GetRequiredService<IOptionsMonitor<RemasteredSessionOptions>>();
    private readonly TimeProvider _clock = services.GetService<TimeProvider>() ?? TimeProvider.System;

    public async Task InvokeAsync(HttpContext context)
    {
        var views = new List<SchemaView>(_registrations.Length);
        foreach (var registration in _registrations)
        {
            var inspecting = registration.Inspect(context);
            if (inspecting is null)
            {
                continue;
            }

            var settings = _options.Get(registration.OptionsName);
            var storage = registration.Storage(context.RequestServices);
            var cookieName = settings.Transport == SessionTransport.Cookie ? StorageUnwrapping.CookieName(storage) ?? settings.Cookie.Name : null;
            var sent = cookieName is null
                ? context.Request.Headers[settings.HeaderName].ToString()
                : context.Request.Cookies.TryGetValue(cookieName, out var value) ? cookieName + "=" + value : string.Empty;
            var inspection = await inspecting.Value.ConfigureAwait(false);
            var server = StorageUnwrapping.ServerStorage(storage);
            var absoluteLifetime = server is null ? settings.Cookie.AbsoluteLifetime : Min(settings.Cookie.AbsoluteLifetime, server.AbsoluteLifetime);
            views.Add(new SchemaView(
                registration.Schema.FullName ?? registration.Schema.Name,
                StorageName(storage),
                cookieName is null ? "header" : "cookie",
                cookieName ?? settings.HeaderName,
                Encoding.UTF8.GetByteCount(sent),
                inspection,
                inspection.CreatedAt + absoluteLifetime,
                server?.IdleTimeout));
        }

        // The page holds decrypted session content: never cached, never framed, never sniffed.
        context.Response.Headers.CacheControl = CacheHeaders.NoStore;
        context.Response.Headers.XContentTypeOptions = "nosniff";
        context.Response.Headers["X-Frame-Options"] = "DENY";
        if (string.Equals(context.Request.Query["format"], "json", StringComparison.OrdinalIgnoreCase))
        {
            context.Response.ContentType = "application/json; charset=utf-8";
            await context.Response.Body.WriteAsync(RenderJson(views)).ConfigureAwait(false);
            return;
        }

        context.Response.ContentType = "text/html; charset=utf-8";
        context.Response.Headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'";
        await context.Response.WriteAsync(RenderHtml(views, _clock.GetUtcNow()), context.RequestAborted).ConfigureAwait(false);
    }

    private static string StorageName(object? storage) => storage switch
    {
        null => "(none)",
        JsonSessionStorage json => $"JsonSessionStorage over {StorageName(json.Inner)}",
        _ => CSharpName(storage.GetType()),
    };

    // "EncryptedCookieStorage<JsonSessionValue, string>" as C# (and RMS001) write it, not the runtime's
    // "EncryptedCookieStorage`2"; a nested type is named with the type it is nested in.
    private static string CSharpName(Type type)
    {
        var alias = Type.GetTypeCode(type) switch
        {
            TypeCode.String => "string", TypeCode.Boolean => "bool", TypeCode.Int32 => "int", TypeCode.Int64 => "long",
            TypeCode.Double => "double", TypeCode.Decimal => "decimal", TypeCode.Byte => "byte", TypeCode.Char => "char",
            TypeCode.Int16 => "short", TypeCode.UInt16 => "ushort", TypeCode.UInt32 => "uint", TypeCode.UInt64 => "ulong",
            TypeCode.SByte => "sbyte", TypeCode.Single => "float",
            _ => type == typeof(object) ? "object" : null,
        };
        if (alias is not null)
        {
            return alias;
        }

        var outer = type.IsNested && !type.IsGenericParameter && type.DeclaringType is { } declaring ? CSharpName(declaring) + "." : string.Empty;
        var name = type.Name;
        var tick = name.IndexOf('`', StringComparison.Ordinal);
        if (!type.IsGenericType || tick < 0)
        {
            return outer + name;
        }

        // The type's own arguments are the last ones (the enclosing types' come first).
        var own = int.Parse(name.AsSpan(tick + 1), System.Globalization.CultureInfo.InvariantCulture);
        var arguments = type.GetGenericArguments();
        return outer + name[..tick] + "<" + string.Join(", ", arguments[^own..].Select(CSharpName)) + ">";
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private static string FlashText(SessionFlashState flash) => flash switch
    {
        SessionFlashState.RemovedByThisRequest => "flash: the next app request that loads the session removes it (viewing this page does not)",
        SessionFlashState.RemovedByNextRequest => "flash: set in this request, removed by the next one",
        _ => "persistent",
    };

    private static string FlashCode(SessionFlashState flash) => flash switch
    {
        SessionFlashState.RemovedByThisRequest => "removed-by-next-app-request",
        SessionFlashState.RemovedByNextRequest => "removed-by-next-request",
        _ => "persistent",
    };

    private static byte[] RenderJson(List<SchemaView> views)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteNumber("cookieBudget", BrowserCookieBudget);
            w.WriteStartArray("schemas");
            foreach (var view in views)
            {
                w.WriteStartObject();
                w.WriteString("schema", view.Schema);
                w.WriteString("storage", view.Storage);
                w.WriteString("transport", view.Transport);
                w.WriteString(view.Transport == "cookie" ? "cookieName" : "headerName", view.CarrierName);
                w.WriteNumber("sentSize", view.SentSize);
                w.WriteBoolean("sentWasRejected", view.SentWasRejected);
                WriteTime(w, "createdAt", view.Inspection.CreatedAt);
                if (view.ServerIdleTimeout is { } idle)
                {
                    // On a server-side storage the session ends IdleTimeout after its last request; the cookie only
                    // carries the id, and its own expiry is later.
                    w.WriteNumber("serverIdleTimeoutSeconds", (long)idle.TotalSeconds);
                    WriteTime(w, "cookieExpiresAt", view.Inspection.IdleExpiresAt);
                }
                else
                {
                    WriteTime(w, "idleExpiresAt", view.Inspection.IdleExpiresAt);
                }

                WriteTime(w, "absoluteExpiresAt", view.AbsoluteExpiresAt);
                w.WriteBoolean("isNew", view.Inspection.CreatedAt is null);
                w.WriteStartArray("entries");
                foreach (var entry in view.Inspection.Entries)
                {
                    w.WriteStartObject();
                    w.WriteString("key", entry.Key);
                    if (entry.Json is { } json)
                    {
                        w.WritePropertyName("value");
                        w.WriteRawValue(json, skipInputValidation: false);
                    }
                    else
                    {
                        w.WriteString("display", entry.Display);
                    }

                    if (entry.Size is { } size)
                    {
                        w.WriteNumber("size", size);
                    }
                    else
                    {
                        w.WriteNull("size");
                    }

                    w.WriteString("flash", FlashCode(entry.Flash));
                    w.WriteEndObject();
                }

                w.WriteEndArray();
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();

        static void WriteTime(Utf8JsonWriter w, string name, DateTimeOffset? time)
        {
            if (time is { } t)
            {
                w.WriteString(name, t);
            }
            else
            {
                w.WriteNull(name);
            }
        }
    }

    private static string RenderHtml(List<SchemaView> views, DateTimeOffset now)
    {
        var html = HtmlEncoder.Default;
        var page = new StringBuilder();
        page.Append("""
            <!doctype html>
            <html lang="en">
            <head><meta charset="utf-8"><title>Session inspector</title>
            <style>
            body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;color:#1f2328}
            table{border-collapse:collapse;width:100%;margin:.5rem 0 1.5rem}
            th,td{border-bottom:1px solid #d0d7de;padding:.35rem .5rem;text-align:left;vertical-align:top}
            td.json{font-family:ui-monospace,monospace;white-space:pre-wrap;word-break:break-all}
            .bar{background:#eaeef2;border-radius:.25rem;height:1rem;width:100%;overflow:hidden}
            .fill{height:100%;background:#2da44e}.fill.warn{background:#bf8700}.fill.over{background:#cf222e}
            .flash{color:#8250df}.muted{color:#656d76}.rejected{background:#fff8c5;padding:.5rem 1rem;border-radius:.25rem}dl{display:grid;grid-template-columns:max-content auto;gap:.2rem 1rem}
            </style></head>
            <body>
            <h1>Session inspector</h1>
            <p class="muted">Your own session for this browser, decrypted. Development only. Viewing this page commits nothing: flashes stay for your next request.</p>
            """);
        if (views.Count == 0)
        {
            page.Append("<p>No session schema is registered (services.AddRemasteredSession).</p>");
        }

        foreach (var view in views)
        {
            var percent = Math.Min(100, view.SentSize * 100 / BrowserCookieBudget);
            var level = view.SentSize > BrowserCookieBudget ? " over" : view.SentSize * 4 > BrowserCookieBudget * 3 ? " warn" : string.Empty;
            page.Append(CultureInfo.InvariantCulture, $"""
                <section class="schema" data-schema="{html.Encode(view.Schema)}">
                <h2>{html.Encode(view.Schema)}</h2>
                <dl>
                <dt>Storage</dt><dd class="storage">{html.Encode(view.Storage)}</dd>
                <dt>Carried in</dt><dd>{html.Encode(view.Transport)} <code>{html.Encode(view.CarrierName)}</code></dd>
                <dt>Created</dt><dd class="created">{Time(view.Inspection.CreatedAt, now, "new session: nothing stored yet")}</dd>
                <dt>Expires if idle</dt><dd class="idle-expiry">{IdleExpiry(view, now)}</dd>
                <dt>Ends at the latest</dt><dd class="absolute-expiry">{Time(view.AbsoluteExpiresAt, now, "-")}</dd>
                <dt>Sent by the browser</dt><dd><span class="cookie-size">{view.SentSize}</span> of {BrowserCookieBudget} bytes (the limit counts the whole <code>Set-Cookie</code>: its attributes take about 90 more)
                <div class="bar" role="meter" aria-valuemin="0" aria-valuemax="{BrowserCookieBudget}" aria-valuenow="{view.SentSize}"><div class="fill{level}" style="width:{percent}%"></div></div></dd>
                </dl>
                """);
            if (view.SentWasRejected)
            {
                page.Append("<p class=\"rejected\">The browser sent a value under this name that opened no session (expired, tampered with, from another secret or a session that ended): this is a new session. The application's log says why.</p>");
            }

            if (view.Inspection.Entries.Count == 0)
            {
                page.Append("<p class=\"empty\">The session is empty.</p>");
            }
            else
            {
                page.Append("<table><thead><tr><th>Key</th><th>Value</th><th>Size</th><th>Lifetime</th></tr></thead><tbody>");
                foreach (var entry in view.Inspection.Entries)
                {
                    var size = entry.Size is { } bytes ? $"{bytes} B" : "object";
                    var flashClass = entry.Flash == SessionFlashState.Persistent ? string.Empty : " class=\"flash\"";
                    page.Append(CultureInfo.InvariantCulture, $"""
                        <tr data-key="{html.Encode(entry.Key)}"><td class="key">{html.Encode(entry.Key)}</td><td class="json">{html.Encode(entry.Display)}</td><td class="size">{size}</td><td{flashClass}>{html.Encode(FlashText(entry.Flash))}</td></tr>
                        """);
                }

                page.Append("</tbody></table>");
            }

            page.Append("</section>");
        }

        page.Append("</body></html>");
        return page.ToString();

        static string Time(DateTimeOffset? time, DateTimeOffset now, string otherwise)
        {
            if (time is not { } t)
            {
                return otherwise;
            }

            var delta = t - now;
            var relative = delta >= TimeSpan.Zero ? $"in {Span(delta)}" : $"{Span(-delta)} ago";
            return $"{t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)} UTC ({relative})";
        }

        static string IdleExpiry(SchemaView view, DateTimeOffset now) => view.ServerIdleTimeout is { } idle
            ? $"{Span(idle)} after its last request (kept on the server; the id cookie itself expires {Time(view.Inspection.IdleExpiresAt, now, "when first sent")})"
            : Time(view.Inspection.IdleExpiresAt, now, "-");

        static string Span(TimeSpan span) => span.TotalDays >= 1 ? $"{(int)span.TotalDays} d {span.Hours} h"
            : span.TotalHours >= 1 ? $"{(int)span.TotalHours} h {span.Minutes} min"
            : span.TotalMinutes >= 1 ? $"{(int)span.TotalMinutes} min"
            : $"{(int)span.TotalSeconds} s";
    }

    private sealed record SchemaView(string Schema, string Storage, string Transport, string CarrierName, int SentSize, SessionInspection Inspection, DateTimeOffset? AbsoluteExpiresAt, TimeSpan? ServerIdleTimeout)
    {
        /// <summary>The browser sent something under the session's name, and it did not open a session.</summary>
        public bool SentWasRejected => SentSize > 0 && Inspection.CreatedAt is null;
    }
}
