#include "portico/sdk/entry.hpp"

#include "hello_plugin.hpp"

PORTICO_PLUGIN(portico::plugins::hello::HelloPlugin, "hello", "0.1.0", "Greets visitors by name",
               portico::plugins::hello::kSchema, "")
