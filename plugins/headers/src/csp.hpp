#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace portico::plugins::headers {

/// A Content-Security-Policy: directives in order, each with its sources.
class Csp {
public:
    using Directive = std::pair<std::string, std::vector<std::string>>;

    /// Parses a header value ("default-src 'self'; img-src data:"); never throws.
    static Csp parse(std::string_view text);

    /// Adds `sources` to `directive`. A directive that does not exist yet starts from the
    /// sources of default-src (as browsers fall back to it). 'none' is replaced by real sources;
    /// a list holding only 'none' replaces the directive.
    void add(const std::string& directive, const std::vector<std::string>& sources);
    /// Takes the sources of every directive in `other` (what a plugin or handler contributed),
    /// except frame-ancestors, sandbox, report-* and unsafe-* keywords, which only config sets.
    void merge(const Csp& other);

    const std::vector<Directive>& directives() const noexcept { return directives_; }
    const std::vector<std::string>* find(std::string_view directive) const;
    std::string str() const;

private:
    std::vector<Directive> directives_;
};

/// True for sources the headers plugin never allows ('unsafe-inline', 'unsafe-eval', ...).
bool isUnsafeSource(std::string_view source) noexcept;

}  // namespace portico::plugins::headers
