#include "portico/sdk/entry.hpp"

#include "config.hpp"
#include "export_command.hpp"
#include "insights_plugin.hpp"
#include "portico/sdk/command.hpp"

namespace {

using portico::plugins::insights::InsightsPlugin;

const portico_plugin_command kCommands[] = {
    {"insights", "export the counted page views and visitors as CSV or JSON",
     portico::plugins::insights::kCommandUsage, "from to format out", "", 1,
     &portico::sdk::commandEntry<InsightsPlugin, &InsightsPlugin::runCommand>},
};

}  // namespace

PORTICO_PLUGIN_WITH_COMMANDS(InsightsPlugin, "insights", "0.1.0",
                             "Page views and visitors counted on the server: no cookies, no "
                             "script, no third party; hourly aggregates only",
                             portico::plugins::insights::kSchema, "", kCommands)
