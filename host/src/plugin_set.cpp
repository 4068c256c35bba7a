#include "plugin_set.hpp"

#include <algorithm>
#include <filesystem>
#include <functional>

#include "portico/sdk/schema.hpp"

namespace fs = std::filesystem;

namespace portico::host {

#ifndef PORTICO_PLUGIN_SUBDIR
#define PORTICO_PLUGIN_SUBDIR "lib/portico/plugins"
#endif

namespace {

std::string listDirs(const PluginDirs& dirs) {
    std::string where;
    for (const auto& d : dirs.all()) where += (where.empty() ? "" : ", ") + d;
    return where.empty() ? "no directory" : where;
}

// What loading needs besides the config: the files found and where they were looked for.
struct Discovery {
    PluginDirs dirs;
    std::map<std::string, std::string> found;  // id -> file
    std::vector<std::string> known;            // ids, for did-you-mean hints
};

std::string unknownPlugin(const std::string& id, const Discovery& d) {
    const std::string hint = sdk::closestMatch(id, d.known);
    return "unknown plugin '" + id + "'" + (hint.empty() ? "" : "; did you mean '" + hint + "'?") +
           " (no " + id + ".so in " + listDirs(d.dirs) + ")";
}

// Validates the entry's block against the library's schema; false (after recording every
// problem) when it does not pass.
bool checkBlock(Config& config, PluginEntry& entry, const sdk::PluginLibrary& library,
                PluginFailures& failures) {
    const std::string path = "plugins." + entry.id;
    const char* text = library.record().config_schema;
    nlohmann::json schema = nlohmann::json::parse(text != nullptr ? text : "{}", nullptr, false);
    if (schema.is_discarded() || !schema.is_object()) {
        failures.add(entry, {config.file, path,
                             "plugin " + library.path() +
                                 " ships a config schema that is not a "
                                 "JSON object; rebuild or report it to the plugin's author"});
        return false;
    }
    std::vector<ConfigProblem> problems;
    try {
        problems = validatePluginBlock(config, entry, schema);
    } catch (const std::exception& e) {
        problems.push_back({config.file, path, std::string("invalid schema: ") + e.what()});
    }
    for (const auto& problem : problems) failures.add(entry, problem);
    return problems.empty();
}

// Opens the entry's library and checks its id and block; null after recording the failure.
std::shared_ptr<sdk::PluginLibrary> openPlugin(Config& config, PluginEntry& entry,
                                               const Discovery& d, std::uint64_t generation,
                                               PluginFailures& failures) {
    const std::string path = "plugins." + entry.id;
    auto file = d.found.find(entry.id);
    if (file == d.found.end()) {
        failures.add(entry, {config.file, path, unknownPlugin(entry.id, d)});
        return nullptr;
    }
    std::shared_ptr<sdk::PluginLibrary> library;
    try {
        library = sdk::PluginLibrary::open(file->second, generation);
    } catch (const std::exception& e) {
        failures.add(entry, {config.file, path, e.what()});
        return nullptr;
    }
    if (library->id() != entry.id) {
        failures.add(entry, {config.file, path,
                             "file " + file->second + " declares plugin id '" + library->id() +
                                 "'; the file must be named " + library->id() + ".so"});
        return nullptr;
    }
    return checkBlock(config, entry, *library, failures) ? library : nullptr;
}

// Why the enabled plugin `entry` cannot run without `dep`.
std::string missingDependency(const Config& config, const std::string& dep, const Discovery& d,
                              const PluginFailures& failures) {
    auto listed = std::find_if(config.plugins.begin(), config.plugins.end(),
                               [&](const PluginEntry& e) { return e.id == dep; });
    if (failures.skipped.count(dep)) return "depends on '" + dep + "', which was skipped";
    if (listed != config.plugins.end() && !listed->enabled) {
        return "depends on '" + dep + "', which is disabled";
    }
    if (d.found.count(dep)) {
        return "depends on '" + dep + "'; add \"" + dep + "\": {\"enabled\": true} to plugins";
    }
    const std::string hint = sdk::closestMatch(dep, d.known);
    return "unknown dependency '" + dep + "'" +
           (hint.empty() ? "" : "; did you mean '" + hint + "'?");
}

// Dependencies must be enabled and loaded; a skipped optional dependency takes its dependents
// down with it, transitively.
void dropUnmetDependencies(Config& config, std::map<std::string, LoadedPlugin>& loaded,
                           const Discovery& d, PluginFailures& failures) {
    for (bool changed = true; changed;) {
        changed = false;
        for (auto& entry : config.plugins) {
            auto it = loaded.find(entry.id);
            if (it == loaded.end()) continue;
            for (const auto& dep : it->second.dependencies) {
                if (loaded.count(dep)) continue;
                failures.add(entry, {config.file, "plugins." + entry.id,
                                     missingDependency(config, dep, d, failures)});
                loaded.erase(it);
                changed = true;
                break;
            }
        }
    }
}

}  // namespace

bool PluginFailures::add(const PluginEntry& entry, const ConfigProblem& problem) {
    if (entry.required) {
        problems.push_back(problem);
        return false;
    }
    const std::string plugin_path = "plugins." + entry.id;
    std::string where;
    if (problem.line > 0 || problem.path.empty()) {
        where = plugin_path + ": " + problem.str();  // a file of the plugin's, or no path
    } else {
        where = problem.path + ": " + problem.message;
    }
    warnings.push_back(where + " (optional plugin skipped)");
    skipped.insert(entry.id);
    return true;
}

std::vector<std::string> PluginDirs::all() const {
    std::vector<std::string> out;
    for (const auto& dir : configured) {
        if (std::find(out.begin(), out.end(), dir) == out.end()) out.push_back(dir);
    }
    if (!installed.empty() && std::find(out.begin(), out.end(), installed) == out.end()) {
        out.push_back(installed);
    }
    return out;
}

PluginDirs pluginSearchDirs(const Config& config) {
    PluginDirs dirs;
    dirs.configured = config.plugin_dirs;
    std::error_code ec;
    fs::path exe = fs::read_symlink("/proc/self/exe", ec);
    if (!ec) {
        dirs.installed =
            (exe.parent_path().parent_path() / PORTICO_PLUGIN_SUBDIR).lexically_normal().string();
        while (dirs.installed.size() > 1 && dirs.installed.back() == '/') dirs.installed.pop_back();
    }
    return dirs;
}

std::map<std::string, std::string> discoverPlugins(const PluginDirs& dirs,
                                                   const std::string& config_file,
                                                   std::vector<ConfigProblem>& problems) {
    std::map<std::string, std::string> found;
    for (const auto& dir : dirs.all()) {
        const bool installed = dir == dirs.installed;
        std::error_code ec;
        std::vector<fs::path> files;
        for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
            if (it->path().extension() == ".so") files.push_back(it->path());
        }
        std::sort(files.begin(), files.end());
        for (const auto& file : files) {
            std::string id = file.stem().string();
            auto [it, inserted] = found.emplace(id, file.string());
            if (!inserted && !installed && it->second != file.string()) {
                problems.push_back(
                    {config_file, "plugin_dirs",
                     "duplicate plugin id '" + id + "': " + it->second + " and " + file.string()});
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

PluginSet loadPlugins(Config& config, std::uint64_t generation) {
    PluginSet set;
    Discovery d;
    d.dirs = pluginSearchDirs(config);
    d.found = discoverPlugins(d.dirs, config.file, set.failures.problems);
    for (const auto& [id, path] : d.found) d.known.push_back(id);

    std::map<std::string, LoadedPlugin> loaded;
    for (auto& entry : config.plugins) {
        auto library = openPlugin(config, entry, d, generation, set.failures);
        if (library && entry.enabled) {
            loaded.emplace(entry.id,
                           LoadedPlugin{entry.id, library, &entry, library->dependencies()});
        }
    }
    dropUnmetDependencies(config, loaded, d, set.failures);

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
        set.failures.problems.push_back({config.file, "plugins", "dependency cycle: " + cycle});
        return set;
    }
    for (const auto& id : order) set.ordered.push_back(std::move(loaded.at(id)));
    return set;
}

}  // namespace portico::host
