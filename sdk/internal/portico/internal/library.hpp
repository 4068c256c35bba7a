#pragma once

// Host side of the plugin boundary: opening a plugin `.so` and checking its entry record. Used
// by the host and the SDK test kit; not installed, not part of the author API.

#include <cstddef>
#include <memory>
#include <stdexcept>
#include <string>
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

/// A plugin `.so` opened with RTLD_NOW | RTLD_LOCAL whose entry record passed every check.
/// Owned by the host (or the test kit); plugin objects must be destroyed before it.
class PluginLibrary {
public:
    /// Opens `path`, calls the entry function (catching anything it throws) and checks magic,
    /// record size, ABI and build fingerprint. Throws `PluginLoadError`.
    static std::shared_ptr<PluginLibrary> open(const std::string& path);
    ~PluginLibrary();
    PluginLibrary(const PluginLibrary&) = delete;
    PluginLibrary& operator=(const PluginLibrary&) = delete;

    const std::string& path() const noexcept { return path_; }
    /// The plugin's record in the host's layout (see `widenRecord`).
    const portico_plugin_record& record() const noexcept { return record_; }
    std::string id() const { return record_.id; }
    std::vector<std::string> dependencies() const;
    /// The `portico` subcommands the plugin adds, in the host's layout (see `readCommands`);
    /// empty for a record of ABI 2.0. Their strings and functions live in the library.
    const std::vector<portico_plugin_command>& commands() const noexcept { return commands_; }

    /// Creates a plugin object through the record. Throws `PluginLoadError` with the plugin's
    /// message when creation fails.
    std::unique_ptr<Plugin, void (*)(Plugin*)> create() const;

private:
    PluginLibrary(std::string path, void* handle, const portico_plugin_record& record);
    std::string path_;
    void* handle_;
    portico_plugin_record record_;
    std::vector<portico_plugin_command> commands_;
};

}  // namespace portico::sdk
