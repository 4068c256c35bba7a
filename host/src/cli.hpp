#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

namespace portico::host {

struct ConfigProblem;

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

/// One `portico` command. Every command is listed once, in commands.cpp.
struct Command {
    const char* name;
    const char* summary;                  ///< one line for `portico --help`
    const char* usage;                    ///< full text for `portico COMMAND --help`
    std::set<std::string> value_options;  ///< "--name VALUE"
    std::set<std::string> flags;          ///< "--name"
    std::size_t max_positional = 0;       ///< words after the command (e.g. a subcommand)
    int (*run)(const CommandLine&) = nullptr;
};

/// Every command, in the order `portico --help` lists them.
const std::vector<Command>& commands();

/// Parses argv. Options may be written `--name value` or `--name=value`.
CommandLine parseCommandLine(int argc, char** argv);

/// The config file to use: --config, then $PORTICO_CONFIG, then config/portico.json.
std::string configPath(const CommandLine& cli);

/// Runs one command and returns the process exit status.
int runCheckConfig(const CommandLine& cli);
int runPlugins(const CommandLine& cli);
int runVersion();
int runServe(const CommandLine& cli);
int runBackup(const CommandLine& cli);   // backup.cpp
int runRestore(const CommandLine& cli);  // backup.cpp
int runContact(const CommandLine& cli);  // contact_cli.cpp
int runHealthcheck(const CommandLine& cli);
int runReference(const CommandLine& cli);  // reference.cpp
/// Prints usage for `command` (or the overview when empty) and returns 0.
int printHelp(const std::string& command);

}  // namespace portico::host
