#include "cli.hpp"

#include <Poco/Version.h>
#include <sys/utsname.h>

#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <set>

#include "config.hpp"
#include "config_report.hpp"
#include "generation.hpp"
#include "logging.hpp"
#include "plugin_set.hpp"
#include "portico/internal/library.hpp"
#include "portico/sdk/schema.hpp"
#include "server.hpp"

#ifndef PORTICO_VERSION
#define PORTICO_VERSION "0.0.0"
#endif

namespace portico::host {
namespace {

const Command* findCommand(const std::string& name) {
    for (const auto& c : commands()) {
        if (name == c.name) return &c;
    }
    return nullptr;
}

}  // namespace

CommandLine parseCommandLine(int argc, char** argv) {
    CommandLine cli;
    cli.program = argc > 0 ? argv[0] : "portico";
    int i = 1;
    if (i < argc && argv[i][0] != '-') {
        cli.command = argv[i++];
        cli.command_given = true;
    }
    const Command* info = findCommand(cli.command);
    if (!info) {
        std::vector<std::string> names;
        for (const auto& c : commands()) names.emplace_back(c.name);
        std::string hint = sdk::closestMatch(cli.command, names);
        cli.error = "unknown command '" + cli.command + "'" +
                    (hint.empty() ? "" : "; did you mean '" + hint + "'?");
        return cli;
    }
    for (; i < argc; ++i) {
        std::string arg = argv[i];
        if (arg == "--help" || arg == "-h") {
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
        if (info->value_options.count(name)) {
            if (!inline_value) {
                if (i + 1 >= argc) {
                    cli.error = "option --" + name + " needs a value";
                    return cli;
                }
                value = argv[++i];
            }
            cli.options[name] = value;
        } else if (info->flags.count(name) && !inline_value) {
            cli.options[name] = "true";
        } else {
            std::vector<std::string> known(info->value_options.begin(), info->value_options.end());
            known.insert(known.end(), info->flags.begin(), info->flags.end());
            std::string hint = sdk::closestMatch(name, known);
            cli.error = "unknown option '--" + name + "' for '" + cli.command + "'" +
                        (hint.empty() ? "" : "; did you mean '--" + hint + "'?");
            return cli;
        }
    }
    if (cli.positional.size() > info->max_positional) {
        cli.error = "unexpected argument '" + cli.positional[info->max_positional] + "' for '" +
                    cli.command + "'";
    }
    return cli;
}

std::string configPath(const CommandLine& cli) {
    auto it = cli.options.find("config");
    if (it != cli.options.end()) return it->second;
    if (const char* env = std::getenv("PORTICO_CONFIG"); env && *env) return env;
    return "config/portico.json";
}

int printHelp(const std::string& command) {
    if (!command.empty()) {
        const Command* info = findCommand(command);
        if (!info) {
            std::fprintf(stderr, "portico: unknown command '%s'\n", command.c_str());
            return 2;
        }
        std::fputs(info->usage, stdout);
        return 0;
    }
    std::printf(
        "portico %s: a plugin-based site host\n\nusage: portico [COMMAND] [OPTIONS]\n\n"
        "commands:\n",
        PORTICO_VERSION);
    for (const auto& c : commands()) std::printf("  %-14s %s\n", c.name, c.summary);
    std::printf("\nrun 'portico COMMAND --help' for a command's options.\n");
    return 0;
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

int runCheckConfig(const CommandLine& cli) {
    const std::string file = configPath(cli);
    auto config = loadConfigOrReport(
        file, [&](const std::vector<ConfigProblem>& problems) { printCounted(file, problems); });
    if (!config) return 1;
    LogConfig quiet = config->log;
    quiet.file.clear();  // check-config writes nothing
    quiet.access_log = false;
    quiet.level = "warn";
    setupLogging(quiet);
    Server status;  // nothing is served; plugins only see a host that has not started
    Services services(status);
    Generation generation(*config, services);
    auto problems = generation.prepare();
    if (!problems.empty()) {
        printCounted(file, problems);
        return 1;
    }
    std::string order;
    for (const auto& id : generation.order()) order += (order.empty() ? "" : ", ") + id;
    for (const auto& w : generation.warnings()) std::fprintf(stderr, "warning: %s\n", w.c_str());
    std::printf("%s: ok (%zu plugin%s: %s)%s\n", file.c_str(), generation.order().size(),
                generation.order().size() == 1 ? "" : "s", order.empty() ? "none" : order.c_str(),
                generation.warnings().empty() ? "" : " (degraded)");
    return 0;
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
