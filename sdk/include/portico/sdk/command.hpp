#pragma once

// Plugin commands: subcommands of `portico` that a plugin adds, as Caddy's modules add `caddy`
// subcommands (`portico contact list` is the contact plugin's). A plugin lists them in a static
// table of `portico_plugin_command` and passes it to PORTICO_PLUGIN_WITH_COMMANDS (entry.hpp):
//
//     const portico_plugin_command kHelloCommands[] = {
//         {"hello", "print the greeting for a name", kHelloUsage, "", "shout", 2,
//          &portico::sdk::commandEntry<HelloPlugin, &HelloPlugin::runCommand>},
//     };
//
// The host reads the table from the entry record without creating the plugin, so
// `portico --help` lists the commands of the enabled plugins cheaply; running one creates,
// configures and validates every enabled plugin as `portico check-config` does (nothing is
// started, no socket is bound) and calls the method on the configured object.

#include <exception>
#include <iosfwd>
#include <map>
#include <string>
#include <vector>

#include "portico/sdk/abi.hpp"
#include "portico/sdk/context.hpp"
#include "portico/sdk/plugin.hpp"

namespace portico::sdk {

/// What one run of a plugin command gets. The host (or the test kit) implements it; the
/// reference is valid until the command returns. Main thread.
class CommandContext {
public:
    virtual ~CommandContext() = default;

    /// The command's name, as in `portico NAME`.
    virtual const std::string& name() const = 0;
    /// The plugin's context, as `configure()` saw it: `config()` (validated, defaults filled
    /// in), `logger()` (to stderr in `portico`, so `out()` stays the command's output),
    /// `site()`, `clock()`, `metrics()`, and `data()` (include "portico/sdk/data.hpp"): the
    /// store a server made; a command never creates it, so a SQLite file that does not exist
    /// makes `session()` throw. The plugin was not started: registering hooks throws and
    /// scheduled work never runs.
    virtual Context& context() = 0;
    /// The words after NAME (`list` in `portico contact list`), at most the command's
    /// `max_positional`.
    virtual const std::vector<std::string>& words() const = 0;
    /// The options given, by name without "--": a value option with its value, a flag with
    /// "true". Only options the command declared; the host's own `--config` is not among them.
    virtual const std::map<std::string, std::string>& options() const = 0;
    /// The command's output: stdout in `portico`. Written as bytes, nothing is translated.
    virtual std::ostream& out() = 0;
    /// Messages for the operator: stderr in `portico`.
    virtual std::ostream& err() = 0;

    /// The value of option `name`, or `fallback` when it was not given. Never throws but
    /// bad_alloc.
    std::string option(const std::string& name, const std::string& fallback = "") const;
    /// True when option or flag `name` was given.
    bool has(const std::string& name) const;
};

/// Writes "portico NAME: WHAT" to `command.err()`: how `commandEntry` reports an exception that
/// left a command. Never throws.
void reportCommandFailure(CommandContext& command, const char* what) noexcept;

/// The `run` function of a `portico_plugin_command` that calls the plugin's method
/// `int PluginClass::Method(CommandContext&)` on the configured plugin object and returns its
/// exit status (0 for success, 1 for a failure, 2 for a usage error, as the host's commands
/// do). An exception never crosses the C boundary: it is reported with
/// `reportCommandFailure` and the status is 1. `PluginClass` is the class given to the entry
/// macro.
template <class PluginClass, int (PluginClass::*Method)(CommandContext&)>
int commandEntry(void* plugin, void* command) noexcept {
    auto& context = *static_cast<CommandContext*>(command);
    try {
        // The entry macro converted to Plugin* before erasing the type; this undoes it exactly.
        auto& object = static_cast<PluginClass&>(*static_cast<Plugin*>(plugin));
        return (object.*Method)(context);
    } catch (const std::exception& e) {
        reportCommandFailure(context, e.what());
    } catch (...) {
        reportCommandFailure(context, "unknown exception");
    }
    return 1;
}

}  // namespace portico::sdk
