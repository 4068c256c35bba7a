#include "portico/sdk/entry.hpp"

#include "analytics_plugin.hpp"

PORTICO_PLUGIN(portico::plugins::analytics::AnalyticsPlugin, "analytics", "0.1.0",
               "Inserts the Umami or Plausible script into HTML pages",
               portico::plugins::analytics::kSchema, "")
