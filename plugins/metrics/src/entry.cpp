#include "portico/sdk/entry.hpp"

#include "metrics_plugin.hpp"

PORTICO_PLUGIN(portico::plugins::metrics::MetricsPlugin, "metrics", "0.1.0",
               "Prometheus metrics and the plugin list on the admin listener",
               portico::plugins::metrics::kSchema, "")
