#include <cstdio>

#include "cli.hpp"

int main(int argc, char** argv) {
    using namespace portico::host;
    CommandLine cli = parseCommandLine(argc, argv);
    if (!cli.error.empty()) {
        std::fprintf(stderr, "portico: %s\nrun 'portico --help' for usage\n", cli.error.c_str());
        return 2;
    }
    if (cli.help) return printHelp(cli.command == "help" || !cli.command_given ? "" : cli.command);
    if (cli.command == "serve") return runServe(cli, argc, argv);
    if (cli.command == "check-config") return runCheckConfig(cli);
    if (cli.command == "plugins") return runPlugins(cli);
    if (cli.command == "version") return runVersion();
    if (cli.command == "help") {
        return printHelp(cli.positional.empty() ? "" : cli.positional.front());
    }
    std::fprintf(stderr, "portico: unknown command '%s'\nrun 'portico --help' for usage\n",
                 cli.command.c_str());
    return 2;
}
