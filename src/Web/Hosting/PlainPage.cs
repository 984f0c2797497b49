namespace WeightShare.Web.Hosting;

/// <summary>
/// A small page outside the Blazor app (sign-in, not found): one card on a grey background, with no script, so it
/// works before a user is signed in and for addresses the app does not have.
/// </summary>
public static class PlainPage
{
    /// <summary>The page: <paramref name="card"/> is the card's own HTML (a form or a main element) and already encoded.</summary>
    public static string Html(string title, string card, string extraStyle = "") => $$"""
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{{System.Net.WebUtility.HtmlEncode(title)}} · WeightShareWeb</title>
        <style>
          body { font-family: Roboto, system-ui, sans-serif; background: #f5f5f5; display: flex; justify-content: center; padding-top: 12vh; margin: 0; }
          form, main { background: #fff; padding: 2rem; border-radius: 8px; box-shadow: 0 1px 4px rgba(0,0,0,.2); width: min(28rem, 90vw); }
          h1 { font-size: 1.4rem; margin: 0 0 1rem; } a { color: #594ae2; } code { background: #eee; padding: 0 .2rem; }
          {{extraStyle}}
        </style></head>
        <body>{{card}}</body></html>
        """;
}
