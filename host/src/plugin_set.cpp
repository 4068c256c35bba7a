#include "plugin_set.hpp"

#include <algorithm>
#include <filesystem>
#include <functional>
#include <set>

#include "portico/sdk/schema.hpp"

namespace fs = std::filesystem;

namespace portico::host {

#ifndef PORTICO_PLUGIN_SUBDIR
#define PORTICO_PLUGIN_SUBDIR "lib/portico/plugins"
#endif

std::vector<std::string> pluginSearchDirs(const Config& config) {
    if (!config.plugin_dirs.empty()) return config.plugin_dirs;
    std::error_code ec;
    fs::path exe = fs::read_symlink("/proc/self/exe", ec);
    if (ec) return {};
    return {(exe.parent_path().parent_path() / PORTICO_PLUGIN_SUBDIR).lexically_normal()};
}

std::map<std::string, std::string> discoverPlugins(const std::vector<std::string>& dirs,
                                                   const std::string& config_file,
                                                   std::vector<ConfigProblem>& problems) {
    std::map<std::string, std::string> found;
    for (const auto& dir : dirs) {
        std::error_code ec;
        std::vector<fs::path> files;
        for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
            if (it->path().extension() == ".so") files.push_back(it->path());
        }
        std::sort(files.begin(), files.end());
        for (const auto& file : files) {
            std::string id = file.stem().string();
            auto [it, inserted] = found.emplace(id, file.string());
            if (!inserted && it->second != file.string()) {
                problems.push_back({config_file, "plugin_dirs",
                                    "duplicate plugin id '" + id + "': " + it->second + " and " +
                                        file.string()});
            }
        }
    }
    return found;
}

std::vector<std::string> orderByDependencies(
    const std::vector<std::string>& ids,
    const std::map<std::string, std::vector<std::string>>& deps, std::string& cycle) {
    std::vector<std::string> order;
    std::map<std::string, int> state;  // 0 new, 1 visiting, 2 done
    std::vector<std::string> stack;
    std::function<bool(const std::string&)> visit = [&](const std::string& id) {
        if (state[id] == 2) return true;
        if (state[id] == 1) {
            auto from = std::find(stack.begin(), stack.end(), id);
            for (auto it = from; it != stack.end(); ++it) cycle += *it + " -> ";
            cycle += id;
            return false;
        }
        state[id] = 1;
        stack.push_back(id);
        auto it = deps.find(id);
        if (it != deps.end()) {
            for (const auto& dep : it->second) {
                if (std::find(ids.begin(), ids.end(), dep) == ids.end()) continue;
                if (!visit(dep)) return false;
            }
        }
        stack.pop_back();
        state[id] = 2;
        order.push_back(id);
        return true;
    };
    for (const auto& id : ids) {
        if (!visit(id)) return {};
    }
    return order;
}

PluginSet loadPlugins(Config& config) {
    PluginSet set;
    auto dirs = pluginSearchDirs(config);
    auto found = discoverPlugins(dirs, config.file, set.problems);
    std::vector<std::string> known;
    for (const auto& [id, path] : found) known.push_back(id);

    std::map<std::string, LoadedPlugin> loaded;
    std::set<std::string> failed;  // optional plugins that were skipped
    auto fail = [&](PluginEntry& entry, const std::string& path, const std::string& message) {
        if (entry.required) {
            set.problems.push_back({config.file, path, message});
        } else {
            set.warnings.push_back(path + ": " + message + " (optional plugin skipped)");
            failed.insert(entry.id);
        }
    };

    for (auto& entry : config.plugins) {
        const std::string path = "plugins." + entry.id;
        auto file = found.find(entry.id);
        if (file == found.end()) {
            std::string hint = sdk::closestMatch(entry.id, known);
            std::string where;
            for (const auto& d : dirs) where += (where.empty() ? "" : ", ") + d;
            fail(entry, path,
                 "unknown plugin '" + entry.id + "'" +
                     (hint.empty() ? "" : "; did you mean '" + hint + "'?") +
                     " (no " + entry.id + ".so in " + (where.empty() ? "no directory" : where) +
                     ")");
            continue;
        }
        std::shared_ptr<sdk::PluginLibrary> library;
        try {
            library = sdk::PluginLibrary::open(file->second);
        } catch (const std::exception& e) {
            fail(entry, path, e.what());
            continue;
        }
        if (library->id() != entry.id) {
            fail(entry, path,
                 "file " + file->second + " declares plugin id '" + library->id() +
                     "'; the file must be named " + library->id() + ".so");
            continue;
        }
        nlohmann::json schema = nlohmann::json::parse(
            library->record().config_schema ? library->record().config_schema : "{}", nullptr,
            false);
        if (schema.is_discarded() || !schema.is_object()) {
            fail(entry, path, "plugin " + file->second + " ships a config schema that is not a "
                              "JSON object; rebuild or report it to the plugin's author");
            continue;
        }
        std::vector<ConfigProblem> block_problems;
        try {
            block_problems = validatePluginBlock(config, entry, schema);
        } catch (const std::exception& e) {
            block_problems.push_back({config.file, path, std::string("invalid schema: ") + e.what()});
        }
        if (!block_problems.empty()) {
            if (entry.required) {
                set.problems.insert(set.problems.end(), block_problems.begin(),
                                    block_problems.end());
            } else {
                for (const auto& p : block_problems) {
                    set.warnings.push_back(p.path + ": " + p.message + " (optional plugin skipped)");
                }
                failed.insert(entry.id);
            }
            continue;
        }
        if (!entry.enabled) continue;
        loaded.emplace(entry.id,
                       LoadedPlugin{entry.id, library, &entry, library->dependencies()});
    }

    // Dependencies must be enabled and loaded; a skipped optional dependency takes its
    // dependents down with it, transitively.
    for (bool changed = true; changed;) {
        changed = false;
        for (auto& entry : config.plugins) {
            auto it = loaded.find(entry.id);
            if (it == loaded.end()) continue;
            for (const auto& dep : it->second.dependencies) {
                if (loaded.count(dep)) continue;
                std::string reason;
                auto listed = std::find_if(config.plugins.begin(), config.plugins.end(),
                                           [&](const PluginEntry& e) { return e.id == dep; });
                if (failed.count(dep)) {
                    reason = "depends on '" + dep + "', which was skipped";
                } else if (listed != config.plugins.end() && !listed->enabled) {
                    reason = "depends on '" + dep + "', which is disabled";
                } else if (found.count(dep)) {
                    reason = "depends on '" + dep + "'; add \"" + dep +
                             "\": {\"enabled\": true} to plugins";
                } else {
                    std::string hint = sdk::closestMatch(dep, known);
                    reason = "unknown dependency '" + dep + "'" +
                             (hint.empty() ? "" : "; did you mean '" + hint + "'?");
                }
                fail(entry, "plugins." + entry.id, reason);
                loaded.erase(it);
                changed = true;
                break;
            }
        }
    }

    std::vector<std::string> ids;
    std::map<std::string, std::vector<std::string>> deps;
    for (const auto& entry : config.plugins) {
        auto it = loaded.find(entry.id);
        if (it == loaded.end()) continue;
        ids.push_back(entry.id);
        deps[entry.id] = it->second.dependencies;
    }
    std::string cycle;
    auto order = orderByDependencies(ids, deps, cycle);
    if (!cycle.empty()) {
        set.problems.push_back({config.file, "plugins", "dependency cycle: " + cycle});
        return set;
    }
    for (const auto& id : order) set.ordered.push_back(std::move(loaded.at(id)));
    return set;
}

}  // namespace portico::host
