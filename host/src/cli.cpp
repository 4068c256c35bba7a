#include "cli.hpp"

#include <Poco/Version.h>
#include <sys/utsname.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <set>

#include "config.hpp"
#include "config_report.hpp"
#include "generation.hpp"
#include "logging.hpp"
#include "plugin_commands.hpp"
#include "plugin_set.hpp"
#include "portico/internal/library.hpp"
#include "portico/sdk/http.hpp"
#include "portico/sdk/schema.hpp"
#include "server.hpp"

#ifndef PORTICO_VERSION
#define PORTICO_VERSION "0.0.0"
#endif

namespace portico::host {
namespace {

bool isHelp(const std::string& arg) { return arg == "--help" || arg == "-h"; }

// The first word, when argv has one before any option: the command.
std::string commandWord(int argc, char** argv) {
    return argc > 1 && argv[1][0] != '-' ? argv[1] : "";
}

// The config file of an invocation before it is parsed (plugin commands come from it): the
// last --config, then as configPath().
std::string configArgument(int argc, char** argv) {
    CommandLine cli;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "--config" && i + 1 < argc) cli.options["config"] = argv[++i];
        if (arg.rfind("--config=", 0) == 0) cli.options["config"] = arg.substr(9);
    }
    return configPath(cli);
}

// Whether an invocation needs the plugins' commands: to run or explain a command that is not
// the host's, and for `portico --help` (`portico help` finds them itself). `portico serve`
// never loads a plugin for this.
bool needsPluginCommands(int argc, char** argv) {
    const std::string word = commandWord(argc, argv);
    if (word.empty()) return std::any_of(argv + 1, argv + argc, isHelp);
    return !isHostCommand(word);
}

// Parses the options and words after the command into `cli`.
void parseArguments(int first, int argc, char** argv, const Command& info, CommandLine& cli) {
    for (int i = first; i < argc; ++i) {
        std::string arg = argv[i];
        if (isHelp(arg)) {
            cli.help = true;
            continue;
        }
        if (arg.rfind("--", 0) != 0) {
            cli.positional.push_back(arg);
            continue;
        }
        std::string name = arg.substr(2), value;
        bool inline_value = false;
        if (auto eq = name.find('='); eq != std::string::npos) {
            value = name.substr(eq + 1);
            name = name.substr(0, eq);
            inline_value = true;
        }
        if (info.value_options.count(name)) {
            if (!inline_value) {
                if (i + 1 >= argc) {
                    cli.error = "option --" + sdk::escapeControls(name) + " needs a value";
                    return;
                }
                value = argv[++i];
            }
            cli.options[name] = value;
        } else if (info.flags.count(name) && !inline_value) {
            cli.options[name] = "true";
        } else {
            std::vector<std::string> known(info.value_options.begin(), info.value_options.end());
            known.insert(known.end(), info.flags.begin(), info.flags.end());
            std::string hint = sdk::closestMatch(name, known);
            cli.error = "unknown option '--" + sdk::escapeControls(name) + "' for '" + cli.command +
                        "'" + (hint.empty() ? "" : "; did you mean '--" + hint + "'?");
            return;
        }
    }
    if (cli.positional.size() > info.max_positional) {
        cli.error = "unexpected argument '" +
                    sdk::escapeControls(cli.positional[info.max_positional]) + "' for '" +
                    cli.command + "'";
    }
}

// The overview of `portico --help`: the host's commands, then those of the config's plugins.
void printOverview(const CommandTable& table) {
    std::printf(
        "portico %s: a plugin-based site host\n\nusage: portico [COMMAND] [OPTIONS]\n\n"
        "commands:\n",
        PORTICO_VERSION);
    bool plugins = false;
    for (const auto& c : table.commands()) {
        if (!c.plugin.empty() && !plugins) {
            plugins = true;
            std::printf("\ncommands of the plugins %s enables:\n", table.configFile().c_str());
        }
        std::printf("  %-14s %s%s\n", c.name.c_str(), c.summary.c_str(),
                    c.plugin.empty() ? "" : (" (plugin " + c.plugin + ")").c_str());
    }
    std::printf("\nrun 'portico COMMAND --help' for a command's options.\n");
}

}  // namespace

CommandLine parseCommandLine(int argc, char** argv, const CommandTable& table) {
    CommandLine cli;
    cli.program = argc > 0 ? argv[0] : "portico";
    int i = 1;
    if (i < argc && argv[i][0] != '-') {
        cli.command = argv[i++];
        cli.command_given = true;
    }
    const Command* info = table.find(cli.command);
    if (!info) {
        cli.error = table.unknown(cli.command);
        return cli;
    }
    parseArguments(i, argc, argv, *info, cli);
    return cli;
}

std::string configPath(const CommandLine& cli) {
    auto it = cli.options.find("config");
    if (it != cli.options.end()) return it->second;
    if (const char* env = std::getenv("PORTICO_CONFIG"); env && *env) return env;
    return "config/portico.json";
}

int printHelp(const std::string& command, const CommandTable& table) {
    if (command.empty()) {
        for (const auto& clash : table.clashes()) {
            std::fprintf(stderr, "portico: %s\n", clash.c_str());
        }
        printOverview(table);
        return table.clashes().empty() ? 0 : 1;
    }
    const Command* info = table.find(command);
    if (!info) {
        std::fprintf(stderr, "portico: %s\n", table.unknown(command).c_str());
        return 2;
    }
    std::fputs(info->usage.c_str(), stdout);
    if (!info->plugin.empty()) {
        std::printf(
            "\nadded by plugin %s (enabled in %s); every command also takes:\n"
            "  --config FILE   config file (default: $PORTICO_CONFIG, else "
            "config/portico.json)\n",
            info->plugin.c_str(), table.configFile().c_str());
    }
    return 0;
}

int runCommandLine(int argc, char** argv) {
    const CommandTable table(configArgument(argc, argv), needsPluginCommands(argc, argv));
    CommandLine cli = parseCommandLine(argc, argv, table);
    if (!cli.error.empty()) {
        std::fprintf(stderr, "portico: %s\nrun 'portico --help' for usage\n", cli.error.c_str());
        return 2;
    }
    if (cli.help) return printHelp(cli.command_given ? cli.command : "", table);
    return table.find(cli.command)->run(cli);
}

int runVersion() {
    const auto& r = sdk::hostRecordTemplate();
    // The machine the process runs on, as the kernel (or qemu-user) reports it: an image built
    // for the wrong architecture shows here before it shows as a crash.
    struct utsname uts {};
    const char* machine = uname(&uts) == 0 ? uts.machine : "unknown";
    std::printf(
        "portico %s\nplugin abi %u.%u\ncompiler %s\ncxx_abi %s\ncxx_standard %s\n"
        "poco %s\nnlohmann_json %s\nspdlog %s\narch %s\n",
        PORTICO_VERSION, r.abi_major, r.abi_minor, r.compiler, r.cxx_abi, r.cxx_standard,
        r.poco_version, r.json_version, r.spdlog_version, machine);
    return 0;
}

namespace {

// Prints the problems and the "<file>: N problems found" line of check-config.
void printCounted(const std::string& file, const std::vector<ConfigProblem>& problems) {
    printProblems(problems);
    std::fprintf(stderr, "%s: %zu problem%s found\n", file.c_str(), problems.size(),
                 problems.size() == 1 ? "" : "s");
}

int printSchema(const std::map<std::string, std::string>& found, const std::string& id) {
    auto it = found.find(id);
    if (it == found.end()) {
        std::vector<std::string> ids;
        for (const auto& [known, path] : found) ids.push_back(known);
        std::string hint = sdk::closestMatch(id, ids);
        std::fprintf(stderr, "portico: unknown plugin '%s'%s\n", id.c_str(),
                     hint.empty() ? "" : ("; did you mean '" + hint + "'?").c_str());
        return 1;
    }
    try {
        auto library = sdk::PluginLibrary::open(it->second);
        auto schema = nlohmann::json::parse(library->record().config_schema);
        std::printf("%s\n", schema.dump(2).c_str());
        return 0;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "%s\n", e.what());
        return 1;
    }
}

// The first problem of a refusal: the line after "<file>: cannot load plugin".
std::string refusalReason(const std::string& what) {
    const std::size_t first = what.find("\n  ");
    if (first == std::string::npos) return what;
    const std::size_t end = what.find('\n', first + 3);
    return what.substr(first + 3, end == std::string::npos ? std::string::npos : end - first - 3);
}

// One row of `portico plugins`; false when the file is refused (the reason is in the row and
// the whole refusal on stderr).
bool printPluginRow(const std::string& id, const std::string& path, const std::string& enabled) {
    std::string reason;
    try {
        auto library = sdk::PluginLibrary::open(path);
        const auto& r = library->record();
        if (library->id() == id) {
            std::printf("%-16s %-10s %u.%-4u %-9s %s\n", id.c_str(), r.version, r.abi_major,
                        r.abi_minor, enabled.c_str(), r.summary);
            return true;
        }
        reason = "file declares plugin id '" + library->id() + "'; the file must be named " +
                 library->id() + ".so";
        std::fprintf(stderr, "%s: %s\n", path.c_str(), reason.c_str());
    } catch (const std::exception& e) {
        reason = refusalReason(e.what());
        std::fprintf(stderr, "%s\n", e.what());
    }
    std::printf("%-16s %-10s %-6s %-9s refused: %s\n", id.c_str(), "?", "?", enabled.c_str(),
                reason.c_str());
    return false;
}

}  // namespace

int withPreparedConfig(const std::string& file, Preparing purpose,
                       const std::function<int(Generation&)>& use) {
    auto config = loadConfigOrReport(
        file, [&](const std::vector<ConfigProblem>& problems) { printCounted(file, problems); });
    if (!config) return 1;
    const bool command = purpose == Preparing::kCommand;
    LogConfig quiet = config->log;
    quiet.file.clear();  // preparing writes nothing
    quiet.access_log = false;
    quiet.level = "warn";
    setupLogging(quiet, command ? Console::kStderr : Console::kStdout);
    Server status;  // nothing is served; plugins only see a host that has not started
    Services services(status);
    services.existing_store_only = command;
    Generation generation(std::move(*config), services);
    auto problems = generation.prepare();
    if (purpose == Preparing::kCheckConfig) {
        // A plugin command the config makes unusable is a problem of the config, too.
        const CommandTable table(file, true);
        for (const auto& clash : table.clashes()) problems.push_back({file, "plugins", clash});
    }
    if (!problems.empty()) {
        printCounted(file, problems);
        return 1;
    }
    for (const auto& w : generation.warnings()) std::fprintf(stderr, "warning: %s\n", w.c_str());
    return use(generation);
}

int runCheckConfig(const CommandLine& cli) {
    const std::string file = configPath(cli);
    return withPreparedConfig(file, Preparing::kCheckConfig, [&](Generation& generation) {
        std::string order;
        for (const auto& id : generation.order()) order += (order.empty() ? "" : ", ") + id;
        std::printf("%s: ok (%zu plugin%s: %s)%s\n", file.c_str(), generation.order().size(),
                    generation.order().size() == 1 ? "" : "s",
                    order.empty() ? "none" : order.c_str(),
                    generation.warnings().empty() ? "" : " (degraded)");
        return 0;
    });
}

int runPlugins(const CommandLine& cli) {
    const std::string file = configPath(cli);
    // Listing works without a valid config; only "enabled" and plugin_dirs come from it.
    ConfigRead read = readConfig(file);
    const Config& config = read.config;
    std::vector<ConfigProblem> problems;
    auto found = discoverPlugins(pluginSearchDirs(config), file, problems);
    auto schema_id = cli.options.find("schema");
    if (schema_id != cli.options.end()) return printSchema(found, schema_id->second);
    if (!read.problems.empty()) {
        std::fprintf(stderr, "warning: %s has problems; 'enabled' may show the default\n",
                     file.c_str());
    }
    std::printf("%-16s %-10s %-6s %-9s %s\n", "ID", "VERSION", "ABI", "ENABLED", "SUMMARY");
    int status = 0;
    for (const auto& [id, path] : found) {
        std::string enabled = "no";
        for (const auto& entry : config.plugins) {
            if (entry.id == id) enabled = entry.enabled ? "yes" : "no";
        }
        if (!printPluginRow(id, path, enabled)) status = 1;
    }
    printProblems(problems);
    return problems.empty() ? status : 1;
}

}  // namespace portico::host
