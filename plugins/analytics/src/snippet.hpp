#pragma once

#include <string>
#include <vector>

namespace portico::plugins::analytics {

/// What goes into the page, from config.
struct Settings {
    std::string provider;              ///< "umami" or "plausible"
    std::string script_url;            ///< absolute http(s) URL of the tracker script
    std::string website_id;            ///< Umami's data-website-id
    std::string domain;                ///< Plausible's data-domain
    std::vector<std::string> domains;  ///< hosts the site is tracked on
    bool do_not_track = true;          ///< Umami's data-do-not-track
};

/// The <script> element for the provider, attributes HTML-escaped.
std::string scriptTag(const Settings& settings);

/// Inserts `tag` before the first `</head>` (any case), unless `html` already loads
/// `script_url` or has no `</head>`. Idempotent.
std::string inject(std::string html, const std::string& tag, const std::string& script_url);

/// "https://stats.example.com:8443" for "https://stats.example.com:8443/script.js"; empty when
/// `url` is not an absolute http(s) URL.
std::string originOf(const std::string& url);

/// `policy` (parsed by `sdk::Csp`) with `origin` added to script-src and connect-src; a
/// directive that neither exists nor falls back to default-src starts from 'self'. An empty
/// `policy` gives "script-src 'self' <origin>; connect-src 'self' <origin>", which the headers
/// plugin merges into its own.
std::string amendCsp(const std::string& policy, const std::string& origin);

}  // namespace portico::plugins::analytics
