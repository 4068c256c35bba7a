#pragma once

#include <string>
#include <vector>

namespace portico::plugins::pages {

/// One content error: the file as the author knows it (e.g. "www/content/de/about.md"), the
/// 1-based line (0 when unknown) and a lowercase message.
struct ContentIssue {
    std::string file;
    int line = 0;
    std::string message;

    /// "file:line" (or "file"), as the config error path.
    std::string where() const { return line > 0 ? file + ":" + std::to_string(line) : file; }
};

using Issues = std::vector<ContentIssue>;

}  // namespace portico::plugins::pages
