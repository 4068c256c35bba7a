#pragma once

#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "config.hpp"
#include "portico/internal/library.hpp"

namespace portico::host {

/// A plugin whose library passed the ABI check and whose config block passed its schema.
struct LoadedPlugin {
    std::string id;
    std::shared_ptr<sdk::PluginLibrary> library;
    PluginEntry* entry = nullptr;  ///< points into the Config the set was loaded from
    std::vector<std::string> dependencies;
};

/// The required/optional plugin policy, in one place, for every step from loading to start: a
/// failure of a required plugin is a problem that stops the config; a failure of an optional one
/// (`required: false`) is a warning "<path>: <message> (optional plugin skipped)", and the
/// plugin is skipped: it contributes nothing.
struct PluginFailures {
    std::vector<ConfigProblem> problems;  ///< non-empty: the config cannot be served
    std::vector<std::string> warnings;    ///< optional plugins that were skipped, and why
    std::set<std::string> skipped;        ///< ids of the optional plugins skipped

    /// Records `problem` of `entry`'s plugin. Returns true when the plugin is optional and so
    /// skipped, false when the problem stops the config.
    bool add(const PluginEntry& entry, const ConfigProblem& problem);
};

/// The enabled plugins of one config, loaded and sorted so that dependencies come first.
struct PluginSet {
    std::vector<LoadedPlugin> ordered;
    PluginFailures failures;
};

/// Where plugins are looked for: the config's plugin_dirs in their order, then the installed
/// plugin directory `<exe dir>/../lib/portico/plugins` (the build tree and the install prefix
/// share that layout).
struct PluginDirs {
    std::vector<std::string> configured;  ///< absolute, from plugin_dirs
    std::string installed;                ///< empty when the executable's path is unknown
    /// Every directory once, in search order.
    std::vector<std::string> all() const;
};

PluginDirs pluginSearchDirs(const Config& config);

/// Every `<id>.so` in `dirs`, by id. Two files with one id in the configured directories are a
/// problem naming both; a file there hides the installed plugin of the same id.
std::map<std::string, std::string> discoverPlugins(const PluginDirs& dirs,
                                                   const std::string& config_file,
                                                   std::vector<ConfigProblem>& problems);

/// Loads the plugins the config lists: opens each library (disabled ones too, to validate
/// their blocks), checks ids and dependencies, validates every block against its schema, and
/// orders the enabled ones. Failures go through `PluginFailures`. `generation` tags libraries
/// loaded anew (see `sdk::PluginLibrary::open`): an unchanged file keeps its open library.
PluginSet loadPlugins(Config& config, std::uint64_t generation = 0);

/// Sorts `ids` so each comes after its dependencies, keeping the given order otherwise.
/// Returns the cycle ("a -> b -> a") in `cycle` when there is one.
std::vector<std::string> orderByDependencies(
    const std::vector<std::string>& ids,
    const std::map<std::string, std::vector<std::string>>& deps, std::string& cycle);

}  // namespace portico::host
