#include "portico/sdk/entry.hpp"

#include "health_plugin.hpp"

PORTICO_PLUGIN(portico::plugins::health::HealthPlugin, "health", "0.1.0",
               "Liveness and readiness endpoints (/livez, /readyz, /health) as health+json",
               portico::plugins::health::kSchema, "")
