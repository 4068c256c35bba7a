#pragma once

#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace portico::host {

struct ConfigProblem;
class CommandTable;
class Generation;

/// A parsed command line: `portico [command] [--option value | --flag]...`.
struct CommandLine {
    std::string program;  ///< argv[0]
    std::string command = "serve";
    bool command_given = false;                  ///< false: "serve" by default
    std::map<std::string, std::string> options;  ///< "--config FILE" -> {"config", "FILE"}
    std::vector<std::string> positional;
    bool help = false;
    std::string error;  ///< non-empty: the line could not be parsed
};

/// One `portico` command: the host's own are listed once, in commands.cpp; plugins add theirs
/// through the SDK (plugin_commands.hpp).
struct Command {
    std::string name;
    std::string summary;                  ///< one line for `portico --help`
    std::string usage;                    ///< full text for `portico COMMAND --help`
    std::set<std::string> value_options;  ///< "--name VALUE"
    std::set<std::string> flags;          ///< "--name"
    std::size_t max_positional = 0;       ///< words after the command (e.g. a subcommand)
    std::function<int(const CommandLine&)> run;
    std::string plugin{};  ///< the plugin that adds the command; empty for the host's own
};

/// The host's own commands, in the order `portico --help` lists them.
const std::vector<Command>& commands();

/// True when `name` is one of the host's own commands.
bool isHostCommand(const std::string& name);

/// Parses, dispatches and runs one `portico` invocation; returns the process exit status.
int runCommandLine(int argc, char** argv);

/// Parses argv against `table`. Options may be written `--name value` or `--name=value`.
CommandLine parseCommandLine(int argc, char** argv, const CommandTable& table);

/// The config file to use: --config, then $PORTICO_CONFIG, then config/portico.json.
std::string configPath(const CommandLine& cli);

/// Why a generation is prepared without being started: it decides where logs go and whether
/// the store may be created.
enum class Preparing { kCheckConfig, kCommand };

/// Loads `file` and prepares its generation as check-config does (every enabled plugin
/// created, configured and validated; nothing started, no socket bound, logs at warn level),
/// prints a "warning: " line for each optional plugin skipped, then returns what `use` returns.
/// With problems, prints each and "<file>: N problems found" on stderr and returns 1 without
/// calling `use`. For `kCommand` logs go to stderr and the store is only opened when it exists.
int withPreparedConfig(const std::string& file, Preparing purpose,
                       const std::function<int(Generation&)>& use);

/// Runs one command and returns the process exit status.
int runCheckConfig(const CommandLine& cli);
int runPlugins(const CommandLine& cli);
int runVersion();
int runServe(const CommandLine& cli);
int runBackup(const CommandLine& cli);   // backup.cpp
int runRestore(const CommandLine& cli);  // backup.cpp
int runHealthcheck(const CommandLine& cli);
int runReference(const CommandLine& cli);  // reference.cpp
/// Prints usage for `command` from `table` and returns 0, or 2 for a command `table` does not
/// have. With `command` empty prints the overview and every clash of plugin commands, and
/// returns 1 when there is one.
int printHelp(const std::string& command, const CommandTable& table);

}  // namespace portico::host
