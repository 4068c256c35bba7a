#include "portico/sdk/entry.hpp"

#include "config.hpp"
#include "studio_plugin.hpp"

PORTICO_PLUGIN(portico::plugins::studio::StudioPlugin, "studio", "0.1.0",
               "Serves the studio subdomain as its own small bilingual site",
               portico::plugins::studio::kSchema, "")
