// The table of the host's own `portico` commands. A new command is one entry here plus its run
// function in a file of its own; plugins add theirs through the SDK (plugin_commands.hpp).
#include <algorithm>
#include <cstdio>
#include <string>

#include "cli.hpp"
#include "plugin_commands.hpp"
#include "portico/internal/plugin_id.hpp"
#include "scaffold.hpp"

namespace portico::host {
namespace {

int runHelpCommand(const CommandLine& cli) {
    const std::string command = cli.positional.empty() ? "" : cli.positional.front();
    return printHelp(command, CommandTable(configPath(cli), !isHostCommand(command)));
}

int runVersionCommand(const CommandLine&) { return runVersion(); }

// `portico plugins` lists; `portico plugins new ID` scaffolds (scaffold.cpp).
int runPluginsCommand(const CommandLine& cli) {
    if (cli.positional.empty()) {
        if (cli.options.count("dir")) {
            std::fprintf(stderr, "plugins: --dir belongs to 'portico plugins new ID'\n");
            return 2;
        }
        return runPlugins(cli);
    }
    if (cli.positional.front() != "new") {
        std::fprintf(stderr, "plugins: unknown subcommand '%s'; did you mean 'new'?\n",
                     cli.positional.front().c_str());
        return 2;
    }
    for (const char* listing_only : {"config", "schema"}) {
        if (cli.options.count(listing_only)) {
            std::fprintf(stderr, "plugins new: --%s does not apply to 'new'\n", listing_only);
            return 2;
        }
    }
    return runPluginsNew(cli);
}

}  // namespace

int runExport(const CommandLine& cli);  // export.cpp

const std::vector<Command>& commands() {
    static const std::string plugins_usage =
        std::string(
            "usage: portico plugins [--config FILE] [--schema ID]\n"
            "       portico plugins new ID [--dir DIR]\n\n"
            "Lists every plugin in the plugin directories: id, version, ABI, enabled or not, "
            "and a\none-line summary. With --schema ID, prints that plugin's config schema as "
            "JSON.\n\n"
            "new ID writes a plugin folder in the house layout into DIR (default: ./ID; it must\n"
            "not exist or be empty): CMakeLists.txt, src/ (the plugin class, its config schema,\n"
            "entry.cpp), test/ (a test-kit test), README.md. It builds against the installed\n"
            "SDK and passes its tests as written; its GET /ID/ answers with a configurable\n"
            "greeting. ID follows the plugin id rule:\n  ") +
        sdk::kPluginIdRule +
        ".\nExit status 0 when written, 1 when DIR is refused, 2 for a bad ID or command line.\n\n"
        "options:\n"
        "  --config FILE   config file (default: $PORTICO_CONFIG, else config/portico.json)\n"
        "  --schema ID     print the config schema of plugin ID\n"
        "  --dir DIR       with new: the folder to write the plugin into\n";
    static const std::vector<Command> list = {
        {"serve",
         "start the server (the default command)",
         "usage: portico [serve] [--config FILE] [--watch]\n\n"
         "Loads the config, starts every enabled plugin and serves HTTP until SIGTERM or SIGINT\n"
         "(graceful: in-flight requests finish within server.shutdown_timeout_ms).\n"
         "SIGHUP reloads the config; a broken config keeps the running one.\n\n"
         "options:\n"
         "  --config FILE   config file (default: $PORTICO_CONFIG, else config/portico.json)\n"
         "  --watch         for authors, never in production: rebuild (as on SIGHUP) when the\n"
         "                  config, its .env or a file under a folder the config names (root,\n"
         "                  *_dir) changes, and reload the open browser tabs (server-sent events\n"
         "                  at /_portico/livereload; a failed rebuild shows its errors there)\n",
         {"config"},
         {"watch"},
         0,
         &runServe},
        {"check-config",
         "validate the config and every enabled plugin, bind nothing",
         "usage: portico check-config [--config FILE]\n\n"
         "Reads the config, loads and configures every enabled plugin, checks routes, and prints\n"
         "every problem with file and JSON path. Exit status 0 when valid, 1 otherwise.\n\n"
         "options:\n"
         "  --config FILE   config file (default: $PORTICO_CONFIG, else config/portico.json)\n",
         {"config"},
         {},
         0,
         &runCheckConfig},
        {"plugins",
         "list the plugins found, print one's config schema, or start a new plugin",
         plugins_usage.c_str(),
         {"config", "schema", "dir"},
         {},
         2,
         &runPluginsCommand},
        {"healthcheck",
         "probe a running server's readiness; exit 0 for a 2xx answer, else 1",
         "usage: portico healthcheck [URL] [--config FILE]\n\n"
         "Sends one GET to URL (default: http://127.0.0.1:<listen.port of the config>/readyz)\n"
         "with a 5 s timeout. Exit status 0 for a 2xx answer, 1 otherwise, with the reason on\n"
         "stderr. Meant for a Docker HEALTHCHECK; needs no curl.\n\n"
         "options:\n"
         "  --config FILE   config file (default: $PORTICO_CONFIG, else config/portico.json)\n",
         {"config"},
         {},
         1,
         &runHealthcheck},
        {"backup",
         "write a consistent snapshot of the SQLite store, also while serving",
         "usage: portico backup --out FILE|FOLDER/ [--keep N] [--config FILE]\n\n"
         "Writes a snapshot of data_dir/portico.db (VACUUM INTO, a consistent read that does not\n"
         "stop writers) and checks its integrity. With a folder, names it\n"
         "portico-<UTC time>.db and, with --keep N, removes all but the newest N there.\n"
         "For PostgreSQL use pg_dump (see the README).\n\n"
         "options:\n"
         "  --out PATH      snapshot file (must not exist), or a folder ending in '/'\n"
         "  --keep N        keep the newest N snapshots in the folder\n"
         "  --config FILE   config file (default: $PORTICO_CONFIG, else config/portico.json)\n",
         {"config", "out", "keep"},
         {},
         0,
         &runBackup},
        {"restore",
         "replace the SQLite store with a backup (refused while serving)",
         "usage: portico restore FILE [--force] [--config FILE]\n\n"
         "Checks FILE's integrity, then copies it into data_dir/portico.db with SQLite's backup\n"
         "API. Refuses while a server uses the data directory, unless --force.\n\n"
         "options:\n"
         "  --force         restore even though a server is running on the data directory\n"
         "  --config FILE   config file (default: $PORTICO_CONFIG, else config/portico.json)\n",
         {"config"},
         {"force"},
         1,
         &runRestore},
        {"export",
         "write the rendered site with .gz and .br variants into a folder",
         "usage: portico export DIR [--config FILE]\n\n"
         "Loads the config and starts every enabled plugin like serve (binding no socket), then\n"
         "writes every page and asset of the site model, /sitemap.xml, /robots.txt and the 404\n"
         "pages into DIR (page URLs ending in '/' become index.html), each with its .gz and .br\n"
         "variant when compression pays. Exit status 0 when everything was written, 1 "
         "otherwise.\n\n"
         "options:\n"
         "  --config FILE   config file (default: $PORTICO_CONFIG, else config/portico.json)\n",
         {"config"},
         {},
         1,
         &runExport},
        {"reference",
         "print the configuration reference (Markdown) from every schema",
         "usage: portico reference [--out FILE] [--config FILE]\n\n"
         "Prints every host key and every key of each plugin found in the plugin directories\n"
         "(those of --config when given, else the installed ones) with type, default, limits\n"
         "and description, as Markdown. config/REFERENCE.md is this output.\n\n"
         "options:\n"
         "  --out FILE      write to FILE instead of stdout\n"
         "  --config FILE   take plugin_dirs from this config\n",
         {"config", "out"},
         {},
         0,
         &runReference},
        {"version",
         "print the version and build fingerprint",
         "usage: portico version\n\nPrints the host version, plugin ABI, build fingerprint and\n"
         "the machine architecture it runs on.\n",
         {},
         {},
         0,
         &runVersionCommand},
        {"help",
         "show help for a command",
         "usage: portico help [COMMAND] [--config FILE]\n\n"
         "Shows the usage of COMMAND, or lists every command: the host's, and those the plugins\n"
         "the config enables add.\n\n"
         "options:\n"
         "  --config FILE   config file (default: $PORTICO_CONFIG, else config/portico.json)\n",
         {"config"},
         {},
         1,
         &runHelpCommand},
    };
    return list;
}

bool isHostCommand(const std::string& name) {
    const auto& own = commands();
    return std::any_of(own.begin(), own.end(), [&](const Command& c) { return c.name == name; });
}

}  // namespace portico::host
