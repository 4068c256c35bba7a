#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>

namespace portico::plugins::pages {

/// Highlights code at build time with GNU source-highlight's language definitions (Debian:
/// libsource-highlight, its files under /usr/share/source-highlight). The output is the code
/// HTML-escaped, with `<span class="hl-ELEMENT">` around keywords, strings, comments, types,
/// numbers and the like; the stylesheet colours the classes. No JavaScript. Used by one build
/// thread at a time; language definitions are read once per highlighter.
class Highlighter {
public:
    Highlighter();
    ~Highlighter();
    Highlighter(const Highlighter&) = delete;
    Highlighter& operator=(const Highlighter&) = delete;

    /// The highlighted HTML (the inside of a <code> element) of `code` in `language` (a
    /// source-highlight name such as "cpp", "sh", "json", "sql", case-insensitive), or nullopt
    /// when the language is unknown or its definition cannot be read: the caller then shows the
    /// code escaped and plain.
    std::optional<std::string> html(const std::string& language, const std::string& code);

private:
    struct State;
    std::unique_ptr<State> state_;
};

}  // namespace portico::plugins::pages
