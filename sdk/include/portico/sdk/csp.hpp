#pragma once

// A Content-Security-Policy as data: parse a header value, add sources to a directive, merge a
// contribution, serialise. The one CSP type for plugins (the headers plugin builds its policy
// with it, analytics adds its origin with it).

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace portico::sdk {

/// A Content-Security-Policy (CSP Level 3): directives in order, each with its sources. Names
/// are lower-case; sources are kept as written. A value type; not thread-safe to modify, safe
/// to read from several threads.
class Csp {
public:
    using Directive = std::pair<std::string, std::vector<std::string>>;

    /// Parses a header value such as "default-src 'self'; img-src data:". Directive names are
    /// lower-cased, sources split at spaces and tabs, empty directives skipped, and a repeated
    /// directive ignored (the first one wins, as in browsers). Never throws but `bad_alloc`.
    static Csp parse(std::string_view text);

    /// Adds `sources` to `directive` (lower-case), each once. A directive that does not exist
    /// yet starts from the sources of default-src, as browsers fall back to it. 'none' gives way
    /// to real sources; a list of only 'none' replaces the directive.
    void add(const std::string& directive, const std::vector<std::string>& sources);

    /// Takes the sources of every directive of `contribution` (what a handler or another plugin
    /// put on a response) except those only the operator may set: frame-ancestors, sandbox,
    /// report-uri / report-to, 'none' and 'unsafe-*' sources. So a contribution can widen
    /// where content comes from, never loosen framing or admit inline code.
    void merge(const Csp& contribution);

    /// The directives in order.
    const std::vector<Directive>& directives() const noexcept { return directives_; }
    /// The sources of `directive`, or nullptr when the policy has no such directive.
    const std::vector<std::string>* find(std::string_view directive) const;
    /// The header value: "name source source; name source", in order.
    std::string str() const;

    /// True for the 'unsafe-*' keywords ('unsafe-inline', 'unsafe-eval', 'unsafe-hashes', ...).
    static bool isUnsafeSource(std::string_view source) noexcept;

private:
    std::vector<Directive> directives_;
};

}  // namespace portico::sdk
