#include "portico/sdk/entry.hpp"

#include "headers_plugin.hpp"

PORTICO_PLUGIN(portico::plugins::headers::HeadersPlugin, "headers", "0.1.0",
               "Security headers (HSTS, CSP, nosniff, referrer, permissions) on every response",
               portico::plugins::headers::kSchema, "")
