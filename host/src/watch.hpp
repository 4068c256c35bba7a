#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "config.hpp"

namespace portico::host {

/// The files `serve --watch` watches for a config: the config file, the `.env` beside it, and
/// every existing file or folder named by an enabled plugin's `root`, `*_dir` or `*_file` key
/// (relative to the working directory, else to the config's folder). Nothing inside data_dir.
std::vector<std::string> watchRoots(const Config& config);

/// Polls files and folders (recursively; hidden names and editor backups ending in `~` are
/// skipped) and calls `on_change` with the first changed path once the tree has been quiet for
/// one more interval, so a save that writes several files triggers one call.
class FileWatcher {
public:
    using Roots = std::function<std::vector<std::string>()>;
    FileWatcher(Roots roots, std::chrono::milliseconds interval,
                std::function<void(const std::string&)> on_change);
    ~FileWatcher();
    FileWatcher(const FileWatcher&) = delete;
    FileWatcher& operator=(const FileWatcher&) = delete;

private:
    struct Stamp {
        std::int64_t mtime_ns;
        std::uintmax_t size;
        bool operator==(const Stamp& o) const { return mtime_ns == o.mtime_ns && size == o.size; }
    };
    using Snapshot = std::map<std::string, Stamp>;
    Snapshot scan() const;
    void run(Snapshot last);

    Roots roots_;
    std::chrono::milliseconds interval_;
    std::function<void(const std::string&)> on_change_;
    std::atomic<bool> stop_{false};
    std::thread thread_;
};

}  // namespace portico::host
