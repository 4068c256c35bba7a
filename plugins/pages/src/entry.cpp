#include "portico/sdk/entry.hpp"

#include "config.hpp"
#include "pages_plugin.hpp"

PORTICO_PLUGIN(
    portico::plugins::pages::PagesPlugin, "pages", "0.1.0",
    "Serves the site: Markdown pages, templates, locale strings and assets, prebuilt at start",
    portico::plugins::pages::kSchema, "")
