#include "config.hpp"

#include <algorithm>
#include <cctype>

namespace portico::plugins::studio {

const char* const kSchema = R"json({
  "type": "object",
  "required": ["host"],
  "properties": {
    "host": {"type": "string", "minLength": 1,
             "description": "host name (Host header without port) the studio site answers on, e.g. \"studio.example.com\"; requests for it never reach the main site"},
    "root": {"type": "string", "default": "",
             "description": "folder with templates/, assets/ and locales/ of the studio site, relative to the working directory; empty: the folder installed with the plugin (share/portico/studio above the plugin's directory)"},
    "locales": {"type": "array", "default": [], "items": {"type": "string", "minLength": 1},
                "description": "languages of the studio site, the first is the default; each needs <root>/locales/<locale>.json; empty: the site's locales"},
    "noindex": {"type": "boolean", "default": true,
                "description": "keep search engines out: a robots meta tag and X-Robots-Tag: noindex on every answer, and a robots.txt with Disallow: /"},
    "strings": {"type": "object", "default": {},
                "additionalProperties": {"type": "object", "additionalProperties": {"type": "string"}},
                "description": "per-locale overrides of the text strings, e.g. {\"en\": {\"heading\": \"Hello\"}}; keys as in <root>/locales/<locale>.json"}
  }
})json";

bool validHostName(const std::string& host) {
    if (host.empty() || host.size() > 253 || host.front() == '.' || host.back() == '.') {
        return false;
    }
    std::size_t label = 0;
    char previous = '.';
    for (char c : host) {
        if (c == '.') {
            if (previous == '.' || previous == '-') return false;
            label = 0;
        } else if (std::islower(static_cast<unsigned char>(c)) ||
                   std::isdigit(static_cast<unsigned char>(c)) || c == '-') {
            if (c == '-' && previous == '.') return false;
            if (++label > 63) return false;
        } else {
            return false;
        }
        previous = c;
    }
    return previous != '-';
}

StudioConfig readConfig(const nlohmann::json& block, const std::vector<std::string>& site_locales,
                        sdk::ConfigErrors& errors) {
    StudioConfig c;
    c.host = block.at("host").get<std::string>();
    std::transform(c.host.begin(), c.host.end(), c.host.begin(),
                   [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
    if (!validHostName(c.host)) {
        errors.add("host", "must be a host name without scheme, port or path, got \"" +
                               block.at("host").get<std::string>() + "\"");
    }
    c.root = block.at("root").get<std::string>();
    c.locales = block.at("locales").get<std::vector<std::string>>();
    if (c.locales.empty()) c.locales = site_locales;
    for (std::size_t i = 0; i < c.locales.size(); ++i) {
        const auto first = std::find(c.locales.begin(), c.locales.end(), c.locales[i]);
        if (first != c.locales.begin() + static_cast<std::ptrdiff_t>(i)) {
            errors.add("locales[" + std::to_string(i) + "]",
                       "duplicate locale \"" + c.locales[i] + "\"");
        }
    }
    c.noindex = block.at("noindex").get<bool>();
    for (const auto& [locale, texts] : block.at("strings").items()) {
        if (std::find(c.locales.begin(), c.locales.end(), locale) == c.locales.end()) {
            std::string list;
            for (const auto& l : c.locales) list += (list.empty() ? "\"" : ", \"") + l + "\"";
            errors.add("strings." + locale, "not a locale of the studio site; use one of " + list);
            continue;
        }
        for (const auto& [key, text] : texts.items()) {
            c.strings[locale][key] = text.get<std::string>();
        }
    }
    return c;
}

}  // namespace portico::plugins::studio
