using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Antiforgery;

namespace Remastered.Sessions.Sample;

/// <summary>The sample's one HTML page (shared by the JIT sample and the Native AOT sample).</summary>
internal static class SamplePage
{
    /// <summary>The home page: who is signed in, the cart, the flash message, and the three forms.</summary>
    /// <param name="session">The request's session.</param>
    /// <param name="tokens">The antiforgery tokens for the forms.</param>
    public static string Render(AppSession session, AntiforgeryTokenSet tokens)
    {
        var html = HtmlEncoder.Default;
        var who = session.Name is { } name ? html.Encode(name) : "anonymous";
        var cart = session.Cart ?? [];
        var flash = session.Message is { } message ? $"<p id=\"flash\" role=\"status\">{html.Encode(message)}</p>" : string.Empty;
        var token = $"<input type=\"hidden\" name=\"{html.Encode(tokens.FormFieldName)}\" value=\"{html.Encode(tokens.RequestToken!)}\">";
        var items = string.Concat(cart.Select(sku => $"<li>{html.Encode(sku)}</li>"));
        return $$"""
            <!doctype html>
            <html lang="en">
            <head><meta charset="utf-8"><title>Remastered.Sessions sample</title>
            <style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:2rem auto}#flash{background:#e6f4ea;padding:.5rem 1rem;border-radius:.25rem}form{margin:.5rem 0}</style>
            </head>
            <body>
            <h1>Remastered.Sessions sample</h1>
            {{flash}}
            <p>Signed in as <strong id="user">{{who}}</strong>. Cart: <span id="cart-count">{{cart.Count}}</span> item(s).</p>
            <ul id="cart">{{items}}</ul>
            <form method="post" action="/login">{{token}}<input name="name" placeholder="Your name" required> <button id="login">Sign in</button></form>
            <form method="post" action="/cart">{{token}}<input name="sku" placeholder="SKU" required> <button id="add">Add to cart</button></form>
            <form method="post" action="/logout">{{token}}<button id="logout">Sign out</button></form>
            </body>
            </html>
            """;
    }
}
