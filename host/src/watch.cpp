#include "watch.hpp"

#include <poll.h>
#include <spdlog/spdlog.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <set>
#include <stdexcept>
#include <system_error>
#include <utility>

namespace portico::host {
namespace fs = std::filesystem;
namespace {

bool isPathKey(const std::string& key) {
    auto ends = [&key](const std::string& suffix) {
        return key.size() >= suffix.size() &&
               key.compare(key.size() - suffix.size(), suffix.size(), suffix) == 0;
    };
    return key == "root" || ends("_dir") || ends("_file");
}

void collect(const nlohmann::json& value, const Config& config, std::set<std::string>& out) {
    if (!value.is_object()) return;
    for (const auto& [key, child] : value.items()) {
        if (child.is_object()) {
            collect(child, config, out);
            continue;
        }
        if (!child.is_string() || !isPathKey(key) || child.get<std::string>().empty()) continue;
        fs::path path(child.get<std::string>());
        std::error_code ec;
        if (path.is_relative() && !fs::exists(path, ec)) path = fs::path(config.directory) / path;
        if (!fs::exists(path, ec)) continue;
        path = fs::weakly_canonical(path, ec);
        if (ec || path == path.root_path()) continue;
        out.insert(path.string());
    }
}

bool skipped(const std::string& name) {
    return name.empty() || name.front() == '.' || name.back() == '~';
}

// Writes, renames in and out, creations and removals in a folder, and the folder itself going.
constexpr std::uint32_t kMask = IN_CLOSE_WRITE | IN_MODIFY | IN_ATTRIB | IN_CREATE | IN_DELETE |
                                IN_MOVED_FROM | IN_MOVED_TO | IN_DELETE_SELF | IN_MOVE_SELF |
                                IN_ONLYDIR;

}  // namespace

std::vector<std::string> watchRoots(const Config& config) {
    std::set<std::string> roots;
    std::error_code ec;
    roots.insert(fs::weakly_canonical(config.file, ec).string());
    roots.insert((fs::path(config.directory) / ".env").string());
    for (const auto& plugin : config.plugins) {
        if (plugin.enabled) collect(plugin.settings, config, roots);
    }
    fs::path data = fs::weakly_canonical(config.site.data_dir, ec);
    std::vector<std::string> out;
    for (const auto& root : roots) {
        auto rel = fs::path(root).lexically_relative(data);
        bool in_data = !rel.empty() && rel.native().rfind("..", 0) != 0;
        if (!in_data) out.push_back(root);
    }
    return out;
}

FileWatcher::FileWatcher(Roots roots, std::chrono::milliseconds quiet,
                         std::function<void(const std::string&)> on_change)
    : roots_(std::move(roots)), quiet_(quiet), on_change_(std::move(on_change)) {
    inotify_fd_ = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    wake_fd_ = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (inotify_fd_ < 0 || wake_fd_ < 0) {
        const std::string why = std::strerror(errno);
        if (inotify_fd_ >= 0) ::close(inotify_fd_);
        if (wake_fd_ >= 0) ::close(wake_fd_);
        throw std::runtime_error("watch: cannot use inotify: " + why);
    }
    {
        // Before the constructor returns, so no edit made after it goes unnoticed.
        std::lock_guard<std::mutex> lock(mutex_);
        watchRoots();
    }
    thread_ = std::thread([this] { run(); });
}

FileWatcher::~FileWatcher() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        stop_ = true;
    }
    std::uint64_t one = 1;
    [[maybe_unused]] auto n = ::write(wake_fd_, &one, sizeof one);
    if (thread_.joinable()) thread_.join();
    ::close(inotify_fd_);
    ::close(wake_fd_);
}

void FileWatcher::refresh() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        refresh_ = true;
    }
    std::uint64_t one = 1;
    [[maybe_unused]] auto n = ::write(wake_fd_, &one, sizeof one);
}

void FileWatcher::watchRoots() {
    for (const auto& root : roots_()) {
        std::error_code ec;
        if (fs::is_directory(root, ec)) {
            watchTree(root);
        } else {
            const fs::path path(root);
            watchDir(path.parent_path().string(), false, path.filename().string());
        }
    }
}

void FileWatcher::watchTree(const std::string& dir) {
    watchDir(dir, true, "");
    std::error_code ec;
    for (fs::directory_iterator it(dir, fs::directory_options::skip_permission_denied, ec), end;
         !ec && it != end; it.increment(ec)) {
        std::error_code dir_ec;
        if (!skipped(it->path().filename().string()) && it->is_directory(dir_ec) &&
            !it->is_symlink(dir_ec)) {
            watchTree(it->path().string());
        }
    }
}

void FileWatcher::watchDir(const std::string& dir, bool all, const std::string& name) {
    const int wd = inotify_add_watch(inotify_fd_, dir.c_str(), kMask);
    if (wd < 0) {
        // ENOSPC: fs.inotify.max_user_watches is used up; ENOENT: the folder went meanwhile.
        if (errno != ENOENT) {
            spdlog::warn("watch: cannot watch {}: {}", dir, std::strerror(errno));
        }
        return;
    }
    Watch& watch = watches_[wd];  // the same folder twice is the same watch
    watch.dir = dir;
    watch.all = watch.all || all;
    if (!name.empty()) watch.names.insert(name);
}

std::string FileWatcher::changed(const ::inotify_event& event) {
    if (event.mask & IN_Q_OVERFLOW) return "(more changes than the kernel queues)";
    auto it = watches_.find(event.wd);
    if (it == watches_.end()) return "";
    const Watch& watch = it->second;
    if (event.mask & (IN_IGNORED | IN_DELETE_SELF | IN_MOVE_SELF)) {
        // A file root's folder going is no change of its own (its parent's watch sees it).
        const std::string dir = watch.all ? watch.dir : "";
        if (event.mask & IN_IGNORED) watches_.erase(it);
        return dir;
    }
    const std::string name = event.len ? event.name : "";
    // A file root is watched by name, hidden or not (the .env beside the config).
    const bool named = watch.names.count(name) > 0;
    if (!named && (!watch.all || skipped(name))) return "";
    const std::string path = watch.dir + "/" + name;
    if ((event.mask & IN_ISDIR) && (event.mask & (IN_CREATE | IN_MOVED_TO)) && watch.all) {
        watchTree(path);  // files written into it before the watch are this change too
    }
    return path;
}

void FileWatcher::run() {
    using Clock = std::chrono::steady_clock;
    alignas(inotify_event) char buffer[16 * 1024];
    std::string first;  // the first change of the burst being waited out
    Clock::time_point due{};
    for (;;) {
        int timeout = -1;
        if (!first.empty()) {
            auto left = std::chrono::duration_cast<std::chrono::milliseconds>(due - Clock::now());
            timeout = static_cast<int>(std::max<long long>(0, left.count()));
        }
        pollfd fds[2] = {{inotify_fd_, POLLIN, 0}, {wake_fd_, POLLIN, 0}};
        const int ready = ::poll(fds, 2, timeout);
        if (ready < 0 && errno != EINTR) break;
        std::unique_lock<std::mutex> lock(mutex_);
        if (stop_) break;
        if (fds[1].revents & POLLIN) {
            std::uint64_t value;
            [[maybe_unused]] auto r = ::read(wake_fd_, &value, sizeof value);
            if (std::exchange(refresh_, false)) watchRoots();
        }
        if (fds[0].revents & POLLIN) {
            for (;;) {
                const ssize_t n = ::read(inotify_fd_, buffer, sizeof buffer);
                if (n <= 0) break;
                for (ssize_t at = 0; at < n;) {
                    const auto* event = reinterpret_cast<const inotify_event*>(buffer + at);
                    const std::string path = changed(*event);
                    if (!path.empty()) {
                        if (first.empty()) first = path;
                        due = Clock::now() + quiet_;  // wait for the burst to end
                    }
                    at += static_cast<ssize_t>(sizeof(inotify_event) + event->len);
                }
            }
        }
        if (!first.empty() && Clock::now() >= due) {
            lock.unlock();
            on_change_(std::exchange(first, {}));
        }
    }
}

}  // namespace portico::host
