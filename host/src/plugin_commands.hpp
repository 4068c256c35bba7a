#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "cli.hpp"
#include "config.hpp"
#include "plugin_set.hpp"

namespace portico::host {

/// The commands `portico` has for one config file: the host's own and, when asked for, those
/// the plugins it enables add through the SDK (DESIGN.md: Caddy's module commands are the
/// model; the host has no plugin-specific code). Plugins are found as `serve` finds them
/// (`plugin_dirs`, then the installed directory); only their entry records are read, so
/// listing creates no plugin. A plugin that cannot be loaded adds nothing: running one of its
/// commands is where the config's problems are reported, as check-config reports them.
class CommandTable {
public:
    /// The host's commands, and with `with_plugins` those of the plugins `config_file` enables
    /// (in the config's order). A plugin command named like a host command or like another
    /// plugin's is left out and recorded in `clashes()`.
    CommandTable(std::string config_file, bool with_plugins);

    const std::string& configFile() const noexcept { return config_file_; }
    bool withPlugins() const noexcept { return with_plugins_; }
    /// Host commands first, then the plugins'.
    const std::vector<Command>& commands() const noexcept { return commands_; }
    /// The command named `name`, or null.
    const Command* find(const std::string& name) const;
    /// One error per clashing plugin command, naming both sides.
    const std::vector<std::string>& clashes() const noexcept { return clashes_; }
    /// The clash that left `name` out, or "".
    std::string clashOf(const std::string& name) const;
    /// The error for a command `name` that is not in the table: the clash that left it out, or
    /// "unknown command 'x'" with a hint naming the plugin that adds it when that plugin is
    /// installed but not enabled (or enabled but not installed), else with a did-you-mean.
    std::string unknown(const std::string& name) const;

private:
    void addPlugins();
    void add(Command command);
    std::string pluginHint(const std::string& name) const;

    std::string config_file_;
    bool with_plugins_;
    std::vector<Command> commands_;
    std::vector<std::string> clashes_;
    std::map<std::string, std::string> clash_of_;  // command name -> its clash
    // What finding the plugins learnt, for the hints of `unknown()`.
    ConfigRead read_;
    PluginDirs dirs_;
    std::map<std::string, std::string> found_;  // plugin id -> file
    std::set<std::string> loaded_;              // enabled plugins whose file loaded
};

/// Runs plugin `plugin_id`'s command `cli.command`: prepares the config as check-config does
/// (its problems are reported the same way), then calls the command on the configured plugin
/// with the parsed words and options, stdout and stderr. Returns its exit status.
int runPluginCommand(const std::string& plugin_id, const CommandLine& cli);

}  // namespace portico::host
