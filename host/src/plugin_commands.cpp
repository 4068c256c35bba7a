// The `portico` subcommands that plugins add: found in the entry records of the plugins a config
// enables, run on a plugin prepared as check-config prepares it.
#include "plugin_commands.hpp"

#include <cstdio>
#include <iostream>

#include "command_context.hpp"
#include "generation.hpp"
#include "portico/internal/commands.hpp"
#include "portico/sdk/http.hpp"
#include "portico/sdk/schema.hpp"

namespace portico::host {

namespace {

Command fromRecord(const std::string& plugin_id, const portico_plugin_command& record) {
    Command command;
    command.name = record.name;
    command.summary = record.summary;
    command.usage = record.usage;
    for (auto& name : sdk::splitNames(record.value_options)) command.value_options.insert(name);
    for (auto& name : sdk::splitNames(record.flags)) command.flags.insert(name);
    command.value_options.insert("config");  // the host's: where the plugin's config comes from
    command.max_positional = record.max_positional;
    command.plugin = plugin_id;
    command.run = [plugin_id](const CommandLine& cli) { return runPluginCommand(plugin_id, cli); };
    return command;
}

const PluginEntry* entryOf(const Config& config, const std::string& id) {
    for (const auto& entry : config.plugins) {
        if (entry.id == id) return &entry;
    }
    return nullptr;
}

bool addsCommand(const std::string& file, const std::string& name) {
    try {
        return sdk::findCommand(sdk::PluginLibrary::open(file)->commands(), name) != nullptr;
    } catch (const std::exception&) {
        return false;  // a file the host refuses adds nothing
    }
}

std::string joinDirs(const PluginDirs& dirs) {
    std::string out;
    for (const auto& dir : dirs.all()) out += (out.empty() ? "" : ", ") + dir;
    return out.empty() ? "no directory" : out;
}

}  // namespace

CommandTable::CommandTable(std::string config_file, bool with_plugins)
    : config_file_(std::move(config_file)),
      with_plugins_(with_plugins),
      commands_(host::commands()) {  // the host's own, from commands.cpp
    if (with_plugins_) addPlugins();
}

const Command* CommandTable::find(const std::string& name) const {
    for (const auto& command : commands_) {
        if (command.name == name) return &command;
    }
    return nullptr;
}

std::string CommandTable::clashOf(const std::string& name) const {
    const auto it = clash_of_.find(name);
    return it == clash_of_.end() ? "" : it->second;
}

// Not loadPlugins(): it drops a plugin whose block or dependencies are wrong, and then
// `portico contact list` would say "unknown command" instead of what check-config says. Only the
// records are read here; running a command loads the plugins through the generation, as serve.
void CommandTable::addPlugins() {
    read_ = readConfig(config_file_);
    dirs_ = pluginSearchDirs(read_.config);
    std::vector<ConfigProblem> ignored;  // check-config and serve report them
    found_ = discoverPlugins(dirs_, config_file_, ignored);
    std::vector<Command> added;
    for (const auto& entry : read_.config.plugins) {
        const auto file = found_.find(entry.id);
        if (!entry.enabled || file == found_.end()) continue;
        try {
            const auto library = sdk::PluginLibrary::open(file->second);
            if (library->id() != entry.id) continue;
            loaded_.insert(entry.id);
            for (const auto& command : library->commands()) {
                added.push_back(fromRecord(entry.id, command));
            }
        } catch (const std::exception&) {
            // A plugin that cannot be loaded adds nothing; check-config says why.
        }
    }
    std::map<std::string, std::vector<std::string>> adders;  // command name -> plugin ids
    for (const auto& command : added) adders[command.name].push_back(command.plugin);
    for (auto& command : added) {
        const std::vector<std::string>& plugins = adders[command.name];
        std::string clash;
        if (const Command* same = find(command.name); same != nullptr && same->plugin.empty()) {
            clash = "plugin '" + command.plugin + "' adds command '" + command.name +
                    "', but the host has a command of that name; the plugin's cannot be used";
        } else if (plugins.size() > 1) {
            clash = "plugins '" + plugins[0] + "' and '" + plugins[1] + "' both add command '" +
                    command.name + "'; enable only one of them in " + config_file_;
        }
        if (clash.empty()) {
            commands_.push_back(std::move(command));
        } else if (clash_of_.emplace(command.name, clash).second) {
            clashes_.push_back(clash);
        }
    }
}

std::string CommandTable::pluginHint(const std::string& name) const {
    const Config& config = read_.config;
    for (const auto& [id, file] : found_) {
        const PluginEntry* entry = entryOf(config, id);
        if ((entry != nullptr && entry->enabled) || !addsCommand(file, name)) continue;
        if (entry != nullptr) {
            return "plugin '" + id + "' adds it, but it is disabled in " + config_file_ +
                   " (plugins." + id + ".enabled)";
        }
        if (!read_.problems.empty()) {
            return "plugin '" + id + "' adds it, but " + config_file_ +
                   " has problems (portico check-config lists them)";
        }
        return "plugin '" + id + "' adds it, but " + config_file_ + " does not enable it (add \"" +
               id + "\": {\"enabled\": true} to plugins)";
    }
    // A plugin's command is usually named after the plugin.
    const PluginEntry* entry = entryOf(config, name);
    if (entry == nullptr || !entry->enabled || loaded_.count(name)) return "";
    if (!found_.count(name)) {
        return "plugin '" + name + "' is enabled in " + config_file_ + " but not installed (no " +
               name + ".so in " + joinDirs(dirs_) + ")";
    }
    return "plugin '" + name + "' is enabled in " + config_file_ +
           " but cannot be loaded (portico check-config says why)";
}

std::string CommandTable::unknown(const std::string& name) const {
    if (const std::string clash = clashOf(name); !clash.empty()) return clash;
    // What was typed reaches the terminal escaped.
    const std::string message = "unknown command '" + sdk::escapeControls(name) + "'";
    if (with_plugins_) {
        if (const std::string hint = pluginHint(name); !hint.empty()) return message + "; " + hint;
    }
    std::vector<std::string> names;
    for (const auto& command : commands_) names.push_back(command.name);
    if (const std::string close = sdk::closestMatch(name, names); !close.empty()) {
        return message + "; did you mean '" + close + "'?";
    }
    if (with_plugins_ && !read_.problems.empty()) {
        return message + " (" + config_file_ +
               " has problems, so commands of its plugins may be missing; portico check-config "
               "lists them)";
    }
    return message;
}

int runPluginCommand(const std::string& plugin_id, const CommandLine& cli) {
    std::map<std::string, std::string> options = cli.options;
    options.erase("config");  // the host's
    return withPreparedConfig(configPath(cli), Preparing::kCommand, [&](Generation& generation) {
        const auto target = generation.prepared(plugin_id);
        if (!target) {
            std::fprintf(stderr, "portico %s: plugin '%s' was skipped (see the warning above)\n",
                         cli.command.c_str(), plugin_id.c_str());
            return 1;
        }
        const auto* command = sdk::findCommand(target->library.commands(), cli.command);
        if (command == nullptr) {  // the file was replaced since the table was read
            std::fprintf(stderr, "portico %s: %s no longer adds this command\n",
                         cli.command.c_str(), target->library.path().c_str());
            return 1;
        }
        PluginCommandContext context(cli.command, target->context, cli.positional,
                                     std::move(options), std::cout, std::cerr);
        return runCommand(*command, target->plugin, context);
    });
}

}  // namespace portico::host
