#include "portico/sdk/entry.hpp"

#include "config.hpp"
#include "contact_plugin.hpp"
#include "messages_command.hpp"
#include "portico/sdk/command.hpp"

namespace {

using portico::plugins::contact::ContactPlugin;

const portico_plugin_command kCommands[] = {
    {"contact", "list or export the messages sent through the contact form",
     portico::plugins::contact::kCommandUsage, "format out", "", 1,
     &portico::sdk::commandEntry<ContactPlugin, &ContactPlugin::runCommand>},
};

}  // namespace

PORTICO_PLUGIN_WITH_COMMANDS(ContactPlugin, "contact", "0.1.0",
                             "Contact form without JavaScript: stored durably, owner notified by "
                             "e-mail",
                             portico::plugins::contact::kSchema, "", kCommands)
