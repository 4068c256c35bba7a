#pragma once

#include <memory>
#include <string>
#include <vector>

#include "portico/sdk/abi.hpp"
#include "portico/sdk/plugin.hpp"

namespace portico::sdk {

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
    const portico_plugin_record& record() const noexcept { return *record_; }
    std::string id() const { return record_->id; }
    std::vector<std::string> dependencies() const;

    /// Creates a plugin object through the record. Throws `PluginLoadError` with the plugin's
    /// message when creation fails.
    std::unique_ptr<Plugin, void (*)(Plugin*)> create() const;

private:
    PluginLibrary(std::string path, void* handle, const portico_plugin_record* record);
    std::string path_;
    void* handle_;
    const portico_plugin_record* record_;
};

/// Differences between a plugin's record and the host's, one human-readable line each
/// ("abi_major: plugin 2, host 1"). Empty when compatible. `record_size` bytes are readable.
std::vector<std::string> recordMismatches(const portico_plugin_record& plugin);

}  // namespace portico::sdk
