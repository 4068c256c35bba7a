#include "portico/sdk/entry.hpp"

#include "config.hpp"
#include "console_plugin.hpp"
#include "portico/sdk/command.hpp"

namespace {

using portico::plugins::console::ConsolePlugin;

const portico_plugin_command kCommands[] = {
    {"console", "print the password hash for plugins.console.password_hash",
     "usage: portico console hash-password [--iterations N]\n\n"
     "Reads the password from one line of standard input and prints its PBKDF2-SHA256 hash\n"
     "(600000 iterations unless --iterations), e.g.\n"
     "  read -rs pw && printf '%s\\n' \"$pw\" | portico console hash-password\n"
     "Put the output into PORTICO_CONSOLE_PASSWORD_HASH.\n",
     "iterations", "", 1, &portico::sdk::commandEntry<ConsolePlugin, &ConsolePlugin::runCommand>},
};

}  // namespace

PORTICO_PLUGIN_WITH_COMMANDS(ConsolePlugin, "console", "0.1.0",
                             "The operator's console on the admin listener: visits, requests, "
                             "plugins, the inbox and backups",
                             portico::plugins::console::kSchema, "", kCommands)
