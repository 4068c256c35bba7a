#include "pages_plugin.hpp"
#include "portico/sdk/entry.hpp"

PORTICO_PLUGIN(portico::plugins::pages::PagesPlugin, "pages", "0.1.0",
               "Serves the site's pages and assets, prebuilt at start",
               portico::plugins::pages::kSchema, "")
