#pragma once

// Host side of the plugin boundary: opening a plugin `.so` and checking its entry record. Used
// by the host and the SDK test kit; not installed, not part of the author API.

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "portico/internal/plugin_id.hpp"
#include "portico/sdk/abi.hpp"
#include "portico/sdk/plugin.hpp"

namespace portico::sdk {

/// The record fields the host itself was built with, for comparison.
const portico_plugin_record& hostRecordTemplate() noexcept;

/// The size of the smallest record of this ABI major: every field of ABI 2.0. Records of later
/// 2.x minors are longer (fields are only appended); a shorter one is damaged.
constexpr std::size_t kMinRecordSize =
    offsetof(portico_plugin_record, destroy) + sizeof(portico_plugin_record::destroy);

/// `plugin` in the host's layout: its first `record_size` bytes (at most the host's record),
/// and defaults for the fields past them, so an older minor's shorter record reads safely.
/// `plugin.record_size` bytes must be readable.
portico_plugin_record widenRecord(const portico_plugin_record& plugin) noexcept;

/// Differences between a plugin's record and the host's, one human-readable line each
/// ("abi_major: plugin 2, host 1"). Empty when compatible. `record_size` bytes are readable.
std::vector<std::string> recordMismatches(const portico_plugin_record& plugin);

/// What to do about `recordMismatches(plugin)`, one "fix: ..." line per kind of difference:
/// the advice for a compiler differs from the one for a library version or the ABI version.
std::vector<std::string> recordFixes(const portico_plugin_record& plugin);

/// Thrown when a plugin file cannot be used. `what()` names the file and every problem,
/// one per line, followed by what to do.
class PluginLoadError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// What identifies the contents of a plugin file: a file replaced by a rename has a new inode,
/// one rewritten in place a new size or modification time.
struct FileIdentity {
    std::uint64_t device = 0;
    std::uint64_t inode = 0;
    std::int64_t size = 0;
    std::int64_t mtime_ns = 0;
    bool operator==(const FileIdentity& o) const noexcept {
        return device == o.device && inode == o.inode && size == o.size && mtime_ns == o.mtime_ns;
    }
    bool sameFile(const FileIdentity& o) const noexcept {
        return device == o.device && inode == o.inode;
    }
};

/// One plugin library in memory, for logs and the admin listener.
struct LibraryInfo {
    std::string id;
    std::string version;
    std::string path;              ///< the file as the host named it
    std::uint64_t generation = 0;  ///< the tag `open` was given: the config generation
    std::chrono::system_clock::time_point loaded_at;
    /// A plugin object was created from it (a library opened only to read its record, such as
    /// a disabled plugin's schema, was not used).
    bool used = false;
    /// Closed, but the system loader kept it in memory (STB_GNU_UNIQUE symbols or thread_local
    /// objects with destructors pin a library).
    bool pinned = false;
};

class LibraryLoader;

/// A plugin `.so` opened with RTLD_NOW | RTLD_LOCAL whose entry record passed every check.
/// Owned by the host (or the test kit); plugin objects must be destroyed before it.
///
/// One object per file contents, process-wide: opening a file whose identity (device, inode,
/// size, modification time) is unchanged returns the library already open, so an unchanged
/// plugin keeps its code across a reload. A changed file is loaded as a new library beside the
/// old one: it is opened through `/proc/self/fd/N` of a descriptor held while the library is
/// open, a name no other loaded object has, because glibc's dlopen would otherwise hand back
/// the object already loaded from that path. The destructor dlcloses the library and checks
/// that it really left the process.
class PluginLibrary {
public:
    /// Opens `path`, calls the entry function (catching anything it throws) and checks magic,
    /// record size, ABI and build fingerprint. `generation` is recorded in `info()` (0 outside
    /// a serving host). Returns the open library when the file is unchanged. Thread-safe.
    /// Throws `PluginLoadError`, also for a loaded file that was overwritten in place.
    static std::shared_ptr<PluginLibrary> open(const std::string& path,
                                               std::uint64_t generation = 0);
    /// Every library in memory: the open ones (with their object) and the pinned ones (null).
    static std::vector<std::pair<const PluginLibrary*, LibraryInfo>> loaded();
    /// Called once a library was closed, on the thread that released it, with `pinned` set
    /// when it stayed in memory. One listener per process (the host's log); null removes it.
    static void setCloseListener(std::function<void(const LibraryInfo&)> listener);

    ~PluginLibrary();
    PluginLibrary(const PluginLibrary&) = delete;
    PluginLibrary& operator=(const PluginLibrary&) = delete;

    const std::string& path() const noexcept { return info_.path; }
    /// The plugin's record in the host's layout (see `widenRecord`).
    const portico_plugin_record& record() const noexcept { return record_; }
    std::string id() const { return record_.id; }
    std::vector<std::string> dependencies() const;
    /// What it is, where from, when and by which generation it was loaded.
    LibraryInfo info() const;
    const FileIdentity& file() const noexcept { return file_; }
    /// The `portico` subcommands the plugin adds, in the host's layout (see `readCommands`);
    /// empty for a record of ABI 2.0. Their strings and functions live in the library.
    const std::vector<portico_plugin_command>& commands() const noexcept { return commands_; }

    /// Creates a plugin object through the record. Throws `PluginLoadError` with the plugin's
    /// message when creation fails.
    std::unique_ptr<Plugin, void (*)(Plugin*)> create() const;

private:
    friend class LibraryLoader;
    PluginLibrary(void* handle, const FileIdentity& file, const portico_plugin_record& record,
                  LibraryInfo info);
    void* handle_;
    FileIdentity file_;
    portico_plugin_record record_;
    LibraryInfo info_;
    mutable std::atomic<bool> used_{false};
    std::vector<portico_plugin_command> commands_;
};

}  // namespace portico::sdk
