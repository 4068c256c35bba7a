#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "config.hpp"
#include "portico/sdk/library.hpp"

namespace portico::host {

/// A plugin whose library passed the ABI check and whose config block passed its schema.
struct LoadedPlugin {
    std::string id;
    std::shared_ptr<sdk::PluginLibrary> library;
    PluginEntry* entry = nullptr;  ///< points into the Config the set was loaded from
    std::vector<std::string> dependencies;
};

/// The enabled plugins of one config, loaded and sorted so that dependencies come first.
struct PluginSet {
    std::vector<LoadedPlugin> ordered;
    std::vector<ConfigProblem> problems;  ///< non-empty: the config cannot be served
    std::vector<std::string> warnings;    ///< optional plugins that were skipped, and why
    bool degraded() const noexcept { return !warnings.empty(); }
};

/// The plugin directories to search: the config's, or `<exe dir>/../lib/portico/plugins`
/// (the build tree and the install prefix share that layout).
std::vector<std::string> pluginSearchDirs(const Config& config);

/// Every `<id>.so` in `dirs`, by id. Two files with one id are a problem naming both.
std::map<std::string, std::string> discoverPlugins(const std::vector<std::string>& dirs,
                                                   const std::string& config_file,
                                                   std::vector<ConfigProblem>& problems);

/// Loads the plugins the config lists: opens each library (disabled ones too, to validate
/// their blocks), checks ids and dependencies, validates every block against its schema, and
/// orders the enabled ones. Failures of `required: false` plugins become warnings.
PluginSet loadPlugins(Config& config);

/// Sorts `ids` so each comes after its dependencies, keeping the given order otherwise.
/// Returns the cycle ("a -> b -> a") in `cycle` when there is one.
std::vector<std::string> orderByDependencies(
    const std::vector<std::string>& ids,
    const std::map<std::string, std::vector<std::string>>& deps, std::string& cycle);

}  // namespace portico::host
