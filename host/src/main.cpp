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
    for (const auto& command : commands()) {
        if (cli.command == command.name) return command.run(cli);
    }
    return 2;  // parseCommandLine already refused unknown commands
}
