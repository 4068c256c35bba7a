#include "portico/sdk/entry.hpp"

#include "config.hpp"
#include "contact_plugin.hpp"

PORTICO_PLUGIN(portico::plugins::contact::ContactPlugin, "contact", "0.1.0",
               "Contact form without JavaScript: stored durably, owner notified by e-mail",
               portico::plugins::contact::kSchema, "")
