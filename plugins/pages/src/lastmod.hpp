#pragma once

#include <map>
#include <string>

namespace portico::plugins::pages {

/// Remembers, per page version, the hash of its source and the day that hash was first seen,
/// so a page's lastmod moves only when its content changes and stays put across restarts.
/// Kept as JSON in one file under the data directory. Used from start() only.
class LastmodStore {
public:
    /// Reads `file` if it exists (a broken file counts as empty).
    explicit LastmodStore(std::string file);
    /// The stored day for `id` when `hash` is unchanged, else `today` (remembered).
    std::string dateFor(const std::string& id, const std::string& hash, const std::string& today);
    /// Writes the file when something changed. Returns "" or why it could not be written.
    std::string save() const;

private:
    struct Entry {
        std::string hash;
        std::string date;
    };
    std::string file_;
    std::map<std::string, Entry> entries_;
    bool dirty_ = false;
};

/// Days since 1970-01-01 of a valid "YYYY-MM-DD" date, times 86400.
long long epochOfDate(const std::string& date);

}  // namespace portico::plugins::pages
