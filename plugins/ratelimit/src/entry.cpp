#include "portico/sdk/entry.hpp"

#include "ratelimit_plugin.hpp"

PORTICO_PLUGIN(portico::plugins::ratelimit::RateLimitPlugin, "ratelimit", "0.1.0",
               "Per-client rate limits (GCRA) with named policies and rules",
               portico::plugins::ratelimit::kSchema, "")
