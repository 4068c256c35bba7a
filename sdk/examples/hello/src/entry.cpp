#include "portico/sdk/entry.hpp"

#include "hello_plugin.hpp"
#include "portico/sdk/command.hpp"

namespace {

using portico::plugins::hello::HelloPlugin;

// `portico hello ...`: the commands this plugin adds to the host (portico/sdk/command.hpp).
const portico_plugin_command kCommands[] = {
    {"hello", "print the greeting for a name", portico::plugins::hello::kCommandUsage, "", "shout",
     2, &portico::sdk::commandEntry<HelloPlugin, &HelloPlugin::runCommand>},
};

}  // namespace

PORTICO_PLUGIN_WITH_COMMANDS(HelloPlugin, "hello", "0.1.0", "Greets visitors by name",
                             portico::plugins::hello::kSchema, "", kCommands)
