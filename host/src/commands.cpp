// The table of `portico` commands. A new command is one entry here plus its run function in a
// file of its own.
#include "cli.hpp"

namespace portico::host {
namespace {

int runHelpCommand(const CommandLine& cli) {
    return printHelp(cli.positional.empty() ? "" : cli.positional.front());
}

int runVersionCommand(const CommandLine&) { return runVersion(); }

}  // namespace

const std::vector<Command>& commands() {
    static const std::vector<Command> list = {
        {"serve", "start the server (the default command)",
         "usage: portico [serve] [--config FILE]\n\n"
         "Loads the config, starts every enabled plugin and serves HTTP until SIGTERM or SIGINT\n"
         "(graceful: in-flight requests finish within server.shutdown_timeout_ms).\n"
         "SIGHUP reloads the config; a broken config keeps the running one.\n\n"
         "options:\n"
         "  --config FILE   config file (default: $PORTICO_CONFIG, else config/portico.json)\n",
         {"config"}, {}, 0, &runServe},
        {"check-config", "validate the config and every enabled plugin, bind nothing",
         "usage: portico check-config [--config FILE]\n\n"
         "Reads the config, loads and configures every enabled plugin, checks routes, and prints\n"
         "every problem with file and JSON path. Exit status 0 when valid, 1 otherwise.\n\n"
         "options:\n"
         "  --config FILE   config file (default: $PORTICO_CONFIG, else config/portico.json)\n",
         {"config"}, {}, 0, &runCheckConfig},
        {"plugins", "list the plugins found, or print one plugin's config schema",
         "usage: portico plugins [--config FILE] [--schema ID]\n\n"
         "Lists every plugin in the plugin directories: id, version, ABI, enabled or not, and a\n"
         "one-line summary. With --schema ID, prints that plugin's config schema as JSON.\n\n"
         "options:\n"
         "  --config FILE   config file (default: $PORTICO_CONFIG, else config/portico.json)\n"
         "  --schema ID     print the config schema of plugin ID\n",
         {"config", "schema"}, {}, 0, &runPlugins},
        {"version", "print the version and build fingerprint",
         "usage: portico version\n\nPrints the host version, plugin ABI and build fingerprint.\n",
         {}, {}, 0, &runVersionCommand},
        {"help", "show help for a command", "usage: portico help [COMMAND]\n", {}, {}, 1,
         &runHelpCommand},
    };
    return list;
}

}  // namespace portico::host
