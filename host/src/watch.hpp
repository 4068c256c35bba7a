#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "config.hpp"

struct inotify_event;

namespace portico::host {

/// The files `serve --watch` watches for a config: the config file, the `.env` beside it, and
/// every existing file or folder named by an enabled plugin's `root`, `*_dir` or `*_file` key
/// (relative to the working directory, else to the config's folder). Nothing inside data_dir.
std::vector<std::string> watchRoots(const Config& config);

/// Watches files and folders with inotify and calls `on_change` with the first changed path
/// once no further change came for `quiet` (a save that writes several files, or a checkout,
/// is one call). Folders are watched recursively, and so is each subfolder that appears later;
/// a file root (the config) is watched through its folder, so an editor that saves by writing
/// a new file and renaming it over the old one is seen, as is a file that is created later.
/// Hidden names and editor backups ending in `~` inside folders are skipped (a file root such
/// as `.env` counts). `on_change` runs on the watcher's own thread.
class FileWatcher {
public:
    using Roots = std::function<std::vector<std::string>()>;
    /// Watches what `roots` names before returning; throws std::runtime_error when inotify is
    /// unavailable.
    FileWatcher(Roots roots, std::chrono::milliseconds quiet,
                std::function<void(const std::string&)> on_change);
    ~FileWatcher();
    FileWatcher(const FileWatcher&) = delete;
    FileWatcher& operator=(const FileWatcher&) = delete;

    /// Any thread: reads `roots` again (after a reload, which may name other folders) and
    /// watches what is new.
    void refresh();

private:
    /// What one inotify watch (a folder) reports: every name, or only `names` (file roots).
    struct Watch {
        std::string dir;
        bool all = false;
        std::set<std::string> names;
    };
    void watchRoots();
    void watchTree(const std::string& dir);
    void watchDir(const std::string& dir, bool all, const std::string& name);
    /// The changed path an event stands for; empty when it is not one to act on.
    std::string changed(const ::inotify_event& event);
    void run();

    Roots roots_;
    std::chrono::milliseconds quiet_;
    std::function<void(const std::string&)> on_change_;
    int inotify_fd_ = -1;
    int wake_fd_ = -1;  // eventfd: stop or refresh
    std::mutex mutex_;  // guards watches_ and the flags below (refresh() from other threads)
    std::map<int, Watch> watches_;
    bool stop_ = false;
    bool refresh_ = false;
    std::thread thread_;
};

}  // namespace portico::host
