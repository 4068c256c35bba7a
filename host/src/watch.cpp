#include "watch.hpp"

#include <filesystem>
#include <set>
#include <system_error>

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

bool skipped(const fs::path& path) {
    std::string name = path.filename().string();
    return name.empty() || name.front() == '.' || name.back() == '~';
}

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

FileWatcher::FileWatcher(Roots roots, std::chrono::milliseconds interval,
                         std::function<void(const std::string&)> on_change)
    : roots_(std::move(roots)), interval_(interval), on_change_(std::move(on_change)) {
    // The first snapshot is taken before the constructor returns, so no edit made after it
    // (and after the server says it is listening) goes unnoticed.
    thread_ = std::thread([this, first = scan()]() mutable { run(std::move(first)); });
}

FileWatcher::~FileWatcher() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
}

FileWatcher::Snapshot FileWatcher::scan() const {
    Snapshot snapshot;
    auto stamp = [&snapshot](const fs::path& path) {
        std::error_code ec;
        auto status = fs::status(path, ec);
        if (ec || !fs::is_regular_file(status)) return;
        auto time = fs::last_write_time(path, ec);
        if (ec) return;
        auto size = fs::file_size(path, ec);
        if (ec) return;
        snapshot[path.string()] = {
            std::chrono::duration_cast<std::chrono::nanoseconds>(time.time_since_epoch()).count(),
            size};
    };
    for (const auto& root : roots_()) {
        std::error_code ec;
        if (!fs::is_directory(root, ec)) {
            stamp(root);
            continue;
        }
        fs::recursive_directory_iterator it(root, fs::directory_options::skip_permission_denied,
                                            ec);
        for (; !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
            if (skipped(it->path())) {
                if (it->is_directory(ec)) it.disable_recursion_pending();
                continue;
            }
            stamp(it->path());
        }
    }
    return snapshot;
}

void FileWatcher::run(Snapshot last) {
    std::string changed;
    while (!stop_) {
        std::this_thread::sleep_for(interval_);
        if (stop_) break;
        Snapshot now = scan();
        if (now != last) {
            // Remember the first difference, then wait for a quiet interval before reporting.
            if (changed.empty()) {
                for (const auto& [path, stamp] : now) {
                    auto it = last.find(path);
                    if (it == last.end() || !(it->second == stamp)) {
                        changed = path;
                        break;
                    }
                }
                if (changed.empty()) {
                    for (const auto& [path, stamp] : last) {
                        if (!now.count(path)) {
                            changed = path;
                            break;
                        }
                    }
                }
            }
            last = std::move(now);
            continue;
        }
        if (!changed.empty()) {
            on_change_(changed);
            changed.clear();
            last = scan();  // the reload may have switched roots
        }
    }
}

}  // namespace portico::host
