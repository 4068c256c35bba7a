#pragma once

// Localized messages: catalogs of texts per language, the visitor's language from the request,
// and lookups with a fallback. The one mechanism for every plugin that speaks to visitors
// (pages and studio read theirs from <lang>.json files, contact and ratelimit ship theirs).

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "portico/sdk/errors.hpp"

namespace portico::sdk {

/// The best match for an `Accept-Language` value among `locales`, or "" when none matches:
/// highest q first, then header order; a range matches a locale equal to it or one it is a
/// prefix of ("de" matches "de-AT" and "de-AT" matches "de", case-insensitively); q=0 and "*"
/// never pick one. Pure; any thread.
std::string acceptLanguageMatch(std::string_view accept_language,
                                const std::vector<std::string>& locales);

/// The language to answer a visitor in: the first path segment when it is one of `locales`
/// ("/de/kontakt" -> "de"), else `acceptLanguageMatch`, else `fallback` (the site's default).
/// Pure; any thread.
std::string pickLanguage(std::string_view path, std::string_view accept_language,
                         const std::vector<std::string>& locales, const std::string& fallback);

/// Message catalogs: per language, texts by dotted key, read from JSON objects whose nested
/// objects give the dots ({"nav": {"home": "Home"}} has "nav.home"). Fill it in `configure()`,
/// `validate()` or `start()`; from then on it is only read, from any thread.
class Messages {
public:
    /// An empty set that falls back to "en".
    Messages();
    /// An empty set; `default_locale` is the language `text()` falls back to.
    explicit Messages(std::string default_locale);

    /// Adds `catalog` (a JSON object) to `locale`'s texts, replacing texts under the same keys.
    /// Returns the problems, with the dotted key as `path`: a leaf that is not a string, or a
    /// catalog that is not an object. Never throws but `bad_alloc`.
    std::vector<ConfigIssue> add(const std::string& locale, const nlohmann::json& catalog);

    /// Adds `<dir>/<locale>.json` for each of `locales`. Returns every problem with `file`
    /// (`shown` + "/<locale>.json", as the user knows it) and `line` where known: a missing
    /// file, invalid JSON, a leaf that is not a string, and a key that one locale has and
    /// another lacks (reported on the file that lacks it). Never throws but `bad_alloc`.
    std::vector<ConfigIssue> load(const std::string& dir, const std::string& shown,
                                  const std::vector<std::string>& locales);

    /// The language `text()` falls back to.
    const std::string& defaultLocale() const noexcept { return default_locale_; }
    /// The languages with a catalog, in the order they were first added.
    const std::vector<std::string>& locales() const noexcept { return locales_; }
    /// True when `locale` has a catalog.
    bool has(const std::string& locale) const;
    /// True when `locale`'s catalog has `key`.
    bool has(const std::string& locale, const std::string& key) const;
    /// `locale` when it has a catalog, else the default locale when it has one, else the first
    /// locale added, else `locale`: the language `text()` actually answers in.
    std::string resolve(const std::string& locale) const;

    /// The text of `key` in `locale`; else in the default locale; else in the locales in the
    /// order they were added; else `key` itself, so a missing text shows, never a blank.
    std::string text(const std::string& locale, const std::string& key) const;
    /// `text(locale, key)` with each "{name}" replaced by the value of `name` in `args`
    /// (unknown placeholders are kept). Values are inserted as they are: escape for HTML after.
    std::string format(const std::string& locale, const std::string& key,
                       const std::vector<std::pair<std::string, std::string>>& args) const;

    /// Every text of `locale` by dotted key (empty when it has no catalog).
    const std::map<std::string, std::string>& texts(const std::string& locale) const;
    /// `locale`'s catalog as the JSON tree it was read from, for templates (an empty object
    /// when it has none).
    const nlohmann::json& catalog(const std::string& locale) const;

private:
    struct Catalog {
        nlohmann::json tree = nlohmann::json::object();
        std::map<std::string, std::string> texts;
    };
    const Catalog* find(const std::string& locale) const;

    std::string default_locale_;
    std::vector<std::string> locales_;
    std::map<std::string, Catalog> catalogs_;
};

}  // namespace portico::sdk
